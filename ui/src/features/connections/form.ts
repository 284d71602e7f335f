// The editor's form state and its conversion to and from the contract types.
// Passwords are not part of FormState: they are kept apart (see SecretFields)
// so that nothing that builds a draft can ever see them.
import {
  type ConnectionDraft,
  type SecretsInput,
  type StoreKind,
  type StoredSecrets,
  type TlsMode,
} from "../../backend";

export interface FormState {
  name: string;
  profile: string;
  readOnly: boolean;
  postgres: { enabled: boolean; url: string; tls: TlsMode };
  graph: { enabled: boolean; url: string; user: string; database: string };
  redis: { enabled: boolean; urls: string; cluster: boolean; username: string };
  objects: {
    enabled: boolean;
    endpoint: string;
    region: string;
    bucket: string;
    accessKeyId: string;
  };
}

/** Per store: the typed password ("" = keep unchanged) and whether to remove the stored one. */
export type SecretFields = Record<StoreKind, { value: string; remove: boolean }>;

export const BUILTIN_PROFILE = "sandbox";

export function emptyForm(): FormState {
  return {
    name: "",
    profile: BUILTIN_PROFILE,
    readOnly: true,
    postgres: { enabled: true, url: "", tls: "prefer" },
    graph: { enabled: true, url: "", user: "neo4j", database: "" },
    redis: { enabled: true, urls: "", cluster: false, username: "" },
    objects: { enabled: true, endpoint: "", region: "us-east-1", bucket: "", accessKeyId: "" },
  };
}

export function emptySecrets(): SecretFields {
  return {
    postgres: { value: "", remove: false },
    graph: { value: "", remove: false },
    redis: { value: "", remove: false },
    objects: { value: "", remove: false },
  };
}

const orNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

export function parseUrlList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

export function formFromDraft(draft: ConnectionDraft): FormState {
  const empty = emptyForm();
  return {
    name: draft.name,
    profile: draft.profile,
    readOnly: draft.readOnly,
    postgres: draft.postgres ? { enabled: true, ...draft.postgres } : { ...empty.postgres, enabled: false },
    graph: draft.graph
      ? { enabled: true, url: draft.graph.url, user: draft.graph.user, database: draft.graph.database ?? "" }
      : { ...empty.graph, enabled: false },
    redis: draft.redis
      ? {
          enabled: true,
          urls: draft.redis.urls.join("\n"),
          cluster: draft.redis.cluster,
          username: draft.redis.username ?? "",
        }
      : { ...empty.redis, enabled: false },
    objects: draft.objects ? { enabled: true, ...draft.objects } : { ...empty.objects, enabled: false },
  };
}

export function draftFromForm(form: FormState): ConnectionDraft {
  const { postgres: pg, graph: g, redis: r, objects: o } = form;
  return {
    name: form.name.trim(),
    profile: form.profile.trim(),
    readOnly: form.readOnly,
    postgres: pg.enabled ? { url: pg.url.trim(), tls: pg.tls } : null,
    graph: g.enabled ? { url: g.url.trim(), user: g.user.trim(), database: orNull(g.database) } : null,
    redis: r.enabled ? { urls: parseUrlList(r.urls), cluster: r.cluster, username: orNull(r.username) } : null,
    objects: o.enabled
      ? {
          endpoint: o.endpoint.trim(),
          region: o.region.trim(),
          bucket: o.bucket.trim(),
          accessKeyId: o.accessKeyId.trim(),
        }
      : null,
  };
}

/** null = keep the stored password, "" = remove it, anything else = replace it. */
export function secretsInput(fields: SecretFields): SecretsInput {
  const pick = (store: StoreKind): string | null => {
    const f = fields[store];
    if (f.remove) return "";
    return f.value === "" ? null : f.value;
  };
  return {
    postgres: pick("postgres"),
    graph: pick("graph"),
    redis: pick("redis"),
    objects: pick("objects"),
  };
}

export const NO_STORED_SECRETS: StoredSecrets = { postgres: false, graph: false, redis: false, objects: false };
