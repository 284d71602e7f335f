//! Domain values of the Knowledge OS: initial states (Created payloads) and merge patches
//! (Updated payloads) for atoms, molecules, documents and annotations.
//!
//! Payload keys are exactly the read-model column names; jsonb columns hold nested objects and
//! patches sometimes set a field to null (RFC 7396 removal) or patch inside a nested object.

use rand::seq::{index, SliceRandom};
use rand::Rng;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::model::{ts, BASE_TIME};

const TOPICS: [&str; 12] = [
    "tax",
    "gst",
    "payroll",
    "privacy",
    "retention",
    "pricing",
    "shipping",
    "refund",
    "invoice",
    "compliance",
    "onboarding",
    "security",
];
const NOUNS: [&str; 10] = [
    "rate",
    "threshold",
    "limit",
    "policy",
    "deadline",
    "region",
    "exemption",
    "ceiling",
    "window",
    "owner",
];
const WORDS: [&str; 24] = [
    "the", "customer", "must", "report", "within", "thirty", "days", "unless", "exempt", "under",
    "section", "rules", "apply", "to", "all", "invoices", "issued", "in", "each", "quarter",
    "except", "where", "noted", "above",
];
const ATOM_TYPES: [&str; 5] = [
    "NumberAtom",
    "TextAtom",
    "BooleanAtom",
    "DateAtom",
    "JsonAtom",
];
const MOLECULE_TYPES: [&str; 4] = [
    "ConditionMolecule",
    "RuleMolecule",
    "FormulaMolecule",
    "ConstraintMolecule",
];
const LEVELS: [&str; 3] = ["block", "warn", "inform"];
const COLORS: [&str; 6] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#808000",
];

fn pick<'a, R: Rng>(rng: &mut R, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

fn sentence<R: Rng>(rng: &mut R, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| pick(rng, &WORDS)).collect();
    if let Some(first) = s.first_mut() {
        *first = "The";
    }
    format!("{}.", s.join(" "))
}

fn money<R: Rng>(rng: &mut R) -> Value {
    Value::from(f64::from(rng.gen_range(0..1_000_000_u32)) / 100.0)
}

fn ratio<R: Rng>(rng: &mut R) -> Value {
    Value::from(f64::from(rng.gen_range(50..=100_u32)) / 100.0)
}

fn sample_ids<R: Rng>(rng: &mut R, pool: &[Uuid], min: usize, max: usize) -> Vec<Uuid> {
    let k = rng.gen_range(min..=max).min(pool.len());
    index::sample(rng, pool.len(), k)
        .into_iter()
        .map(|i| pool[i])
        .collect()
}

fn ids_json(ids: &[Uuid]) -> Value {
    Value::Array(ids.iter().map(|u| Value::String(u.to_string())).collect())
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

// ---------- atoms ----------

pub fn atom_state<R: Rng>(rng: &mut R, i: usize) -> Map<String, Value> {
    let atom_type = pick(rng, &ATOM_TYPES);
    let mut m = obj(json!({
        "atom_type": atom_type,
        "name": format!("{}-{}-{i}", pick(rng, &TOPICS), pick(rng, &NOUNS)),
        "confidence": ratio(rng),
        "source": pick(rng, &["manual", "ai_extracted", "code_generated"]),
    }));
    if rng.gen_bool(0.7) {
        m.insert("description".into(), Value::String(sentence(rng, 8)));
    }
    let (col, value) = match atom_type {
        "NumberAtom" => ("number_value", money(rng)),
        "TextAtom" => ("text_value", Value::String(sentence(rng, 6))),
        "BooleanAtom" => ("boolean_value", Value::Bool(rng.gen())),
        "DateAtom" => (
            "date_value",
            Value::String(ts(BASE_TIME + rng.gen_range(0..400) * 86_400)),
        ),
        _ => (
            "json_value",
            json!({
                "unit": pick(rng, &["EUR", "USD", "days", "percent"]),
                "limits": {"min": rng.gen_range(0..10), "max": rng.gen_range(10..1000)},
                "tags": [pick(rng, &TOPICS), pick(rng, &TOPICS)],
            }),
        ),
    };
    m.insert(col.into(), value);
    m
}

pub fn atom_patch<R: Rng>(rng: &mut R, state: &Value, step: usize) -> Map<String, Value> {
    let atom_type = state
        .get("atom_type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match rng.gen_range(0..4) {
        0 => match atom_type {
            "NumberAtom" => obj(json!({ "number_value": money(rng) })),
            "TextAtom" => obj(json!({ "text_value": sentence(rng, 7) })),
            "BooleanAtom" => obj(json!({ "boolean_value": rng.gen::<bool>() })),
            "DateAtom" => {
                obj(json!({ "date_value": ts(BASE_TIME + rng.gen_range(0..400) * 86_400) }))
            }
            _ => obj(json!({ "json_value": {
                "limits": {"max": rng.gen_range(10..1000), "min": null},
                "review": {"status": pick(rng, &["draft", "approved", "rejected"])},
            }})),
        },
        1 => obj(json!({ "confidence": ratio(rng) })),
        2 if state.get("description").is_some() => obj(json!({ "description": null })),
        2 => obj(json!({ "description": sentence(rng, 9) })),
        _ => {
            let name = state.get("name").and_then(Value::as_str).unwrap_or("atom");
            let base = name.split("-v").next().unwrap_or(name);
            obj(json!({ "name": format!("{base}-v{}", step + 2) }))
        }
    }
}

/// The patch of the n-th update of the hot aggregate (a counter reading).
pub fn hot_patch(n: usize) -> Map<String, Value> {
    obj(json!({ "json_value": { "counter": n, "reading": (n % 997) as f64 / 10.0 } }))
}

// ---------- molecules ----------

/// What a molecule may refer to.
pub struct MoleculeCtx<'a> {
    pub alive_atoms: &'a [Uuid],
    pub earlier_molecules: &'a [Uuid],
    pub code_refs: &'a [String],
    pub supernode: Option<Uuid>,
}

pub fn molecule_state<R: Rng>(rng: &mut R, i: usize, ctx: &MoleculeCtx<'_>) -> Map<String, Value> {
    let atom_ids = sample_ids(rng, ctx.alive_atoms, 4, 10);
    let mut required: Vec<Uuid> = ctx.supernode.into_iter().collect();
    for id in sample_ids(rng, ctx.alive_atoms, 1, 3) {
        if !required.contains(&id) {
            required.push(id);
        }
    }
    let mut m = obj(json!({
        "molecule_type": pick(rng, &MOLECULE_TYPES),
        "name": format!("{}-{}-rule-{i}", pick(rng, &TOPICS), pick(rng, &NOUNS)),
        "root_atom_id": atom_ids.first().map(Uuid::to_string),
        "atom_ids": ids_json(&atom_ids),
        "required_atom_ids": ids_json(&required),
        "configuration": {
            "mode": pick(rng, &["strict", "lenient"]),
            "threshold": rng.gen_range(1..100),
            "options": {"notify": rng.gen::<bool>(), "channels": [pick(rng, &["email", "slack", "webhook"])]},
        },
        "enforcement_level": pick(rng, &LEVELS),
    }));
    if !ctx.earlier_molecules.is_empty() && rng.gen_bool(0.4) {
        m.insert(
            "conflicts_with_molecules".into(),
            ids_json(&sample_ids(rng, ctx.earlier_molecules, 1, 1)),
        );
    }
    let refs = rng.gen_range(0..=2).min(ctx.code_refs.len());
    if refs > 0 {
        let chosen: Vec<Value> = index::sample(rng, ctx.code_refs.len(), refs)
            .into_iter()
            .map(|k| Value::String(ctx.code_refs[k].clone()))
            .collect();
        m.insert("implements_code_refs".into(), Value::Array(chosen));
    }
    if rng.gen_bool(0.7) {
        m.insert(
            "validation_rules".into(),
            json!({"required": rng.gen::<bool>(), "max_violations": rng.gen_range(0..5)}),
        );
    }
    m
}

pub fn molecule_patch<R: Rng>(
    rng: &mut R,
    state: &Value,
    ctx: &MoleculeCtx<'_>,
) -> Map<String, Value> {
    match rng.gen_range(0..5) {
        0 => obj(json!({ "enforcement_level": pick(rng, &LEVELS) })),
        1 => obj(json!({ "configuration": {
            "threshold": rng.gen_range(1..100),
            "options": {"notify": rng.gen::<bool>()},
        }})),
        2 if state.pointer("/configuration/mode").is_some() => {
            obj(json!({ "configuration": {"mode": null, "reviewed": true} }))
        }
        2 => obj(json!({ "configuration": {"mode": pick(rng, &["strict", "lenient"])} })),
        3 if state.get("validation_rules").is_some() => obj(json!({ "validation_rules": null })),
        3 => obj(json!({ "validation_rules": {"required": true, "max_violations": 0} })),
        _ => {
            let atom_ids = sample_ids(rng, ctx.alive_atoms, 4, 10);
            obj(json!({
                "atom_ids": ids_json(&atom_ids),
                "root_atom_id": atom_ids.first().map(Uuid::to_string),
            }))
        }
    }
}

// ---------- documents ----------

/// The bytes stored in the bucket for a document's content.
pub fn document_bytes(format: &str, content: &str) -> Vec<u8> {
    if format == "pdf" {
        let body = content.replace(['(', ')', '\\'], " ");
        format!(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
             2 0 obj << /Type /Pages /Count 0 /Kids [] >> endobj\n\
             3 0 obj << /Length {} >> stream\n({body}) Tj\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
            body.len() + 5
        )
        .into_bytes()
    } else {
        content.as_bytes().to_vec()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn markdown<R: Rng>(rng: &mut R, title: &str) -> String {
    let mut s = format!("# {title}\n");
    for p in 0..rng.gen_range(2..6) {
        let words = rng.gen_range(12..40);
        s.push_str(&format!(
            "\n## Section {}\n\n{}\n",
            p + 1,
            sentence(rng, words)
        ));
    }
    s
}

pub fn document_state<R: Rng>(rng: &mut R, i: usize, id: Uuid) -> Map<String, Value> {
    let topic = pick(rng, &TOPICS);
    let (format, ext, mime) = if rng.gen_bool(0.75) {
        ("markdown", "md", "text/markdown")
    } else {
        ("pdf", "pdf", "application/pdf")
    };
    let title = format!("{} {} guide {i}", topic.to_uppercase(), pick(rng, &NOUNS));
    let content = markdown(rng, &title);
    let hash = sha256_hex(&document_bytes(format, &content));
    obj(json!({
        "title": title,
        "path": format!("/kb/{topic}/guide-{i}.{ext}"),
        "format": format,
        "mime_type": mime,
        "content": content,
        "content_hash": hash,
        "storage_backend": "s3",
        "storage_reference": format!("documents/{id}.{ext}"),
    }))
}

pub fn document_patch<R: Rng>(rng: &mut R, state: &Value, step: usize) -> Map<String, Value> {
    let title = state
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("Document");
    if rng.gen_bool(0.6) {
        let format = state
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or("markdown");
        let content = state
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let new_content = format!(
            "{content}\n## Revision {}\n\n{}\n",
            step + 2,
            sentence(rng, 15)
        );
        let hash = sha256_hex(&document_bytes(format, &new_content));
        obj(json!({ "content": new_content, "content_hash": hash }))
    } else {
        obj(json!({ "title": format!("{title} (rev {})", step + 2) }))
    }
}

// ---------- annotations ----------

/// What an annotation may refer to.
pub struct AnnotationCtx<'a> {
    /// Live documents with their content length.
    pub documents: &'a [(Uuid, usize)],
    pub atoms: &'a [Uuid],
    pub molecules: &'a [Uuid],
    pub users: &'a [Uuid],
}

pub fn annotation_state<R: Rng>(rng: &mut R, ctx: &AnnotationCtx<'_>) -> Map<String, Value> {
    let (doc, len) = ctx
        .documents
        .choose(rng)
        .copied()
        .unwrap_or((Uuid::nil(), 100));
    let start = rng.gen_range(0..len.max(2) - 1);
    let end = (start + rng.gen_range(1..200)).min(len.max(start + 1));
    let (ktype, kid) = match (ctx.molecules.choose(rng), ctx.atoms.choose(rng)) {
        (Some(m), _) if rng.gen_bool(0.3) => ("molecule", *m),
        (_, Some(a)) => ("atom", *a),
        (Some(m), None) => ("molecule", *m),
        (None, None) => ("atom", Uuid::nil()),
    };
    let target = pick(rng, &["character", "line", "element"]);
    let mut m = obj(json!({
        "document_id": doc.to_string(),
        "target_type": target,
        "start_offset": start,
        "end_offset": end,
        "knowledge_type": ktype,
        "knowledge_id": kid.to_string(),
        "layer": if rng.gen_bool(0.8) { ktype } else { "review" },
        "confidence": ratio(rng),
        "source": pick(rng, &["manual", "ai", "code_analysis"]),
        "style": {"color": pick(rng, &COLORS), "underline": rng.gen::<bool>()},
    }));
    if target == "element" {
        m.insert(
            "css_selector".into(),
            Value::String(format!("p:nth-child({})", rng.gen_range(1..30))),
        );
    }
    m
}

pub fn annotation_patch<R: Rng>(
    rng: &mut R,
    state: &Value,
    ctx: &AnnotationCtx<'_>,
    at: i64,
) -> Map<String, Value> {
    match rng.gen_range(0..4) {
        0 => obj(
            json!({ "style": {"color": pick(rng, &COLORS), "underline": null, "weight": "bold"} }),
        ),
        1 => obj(json!({
            "validated_by": ctx.users.choose(rng).map(Uuid::to_string),
            "validated_at": ts(at),
        })),
        2 if state.get("css_selector").is_some() => obj(json!({ "css_selector": null })),
        _ => obj(json!({ "confidence": ratio(rng) })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EntityType;
    use rand::SeedableRng;

    fn keys_are_columns(entity: EntityType, m: &Map<String, Value>) {
        for k in m.keys() {
            assert!(
                entity.state_columns().contains(&k.as_str()),
                "{k} is not a column of {entity:?}"
            );
        }
    }

    #[test]
    fn payload_keys_are_column_names() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let atoms: Vec<Uuid> = (0..20).map(|_| crate::rng::uuid(&mut rng)).collect();
        let refs = vec!["src/a.go:1".to_owned()];
        let mctx = MoleculeCtx {
            alive_atoms: &atoms,
            earlier_molecules: &atoms[..2],
            code_refs: &refs,
            supernode: None,
        };
        let docs = [(atoms[0], 500)];
        let actx = AnnotationCtx {
            documents: &docs,
            atoms: &atoms,
            molecules: &atoms[..1],
            users: &atoms[..2],
        };
        for i in 0..50 {
            let a = atom_state(&mut rng, i);
            keys_are_columns(EntityType::Atom, &a);
            keys_are_columns(
                EntityType::Atom,
                &atom_patch(&mut rng, &Value::Object(a), i),
            );
            let m = molecule_state(&mut rng, i, &mctx);
            keys_are_columns(EntityType::Molecule, &m);
            keys_are_columns(
                EntityType::Molecule,
                &molecule_patch(&mut rng, &Value::Object(m), &mctx),
            );
            let d = document_state(&mut rng, i, atoms[1]);
            keys_are_columns(EntityType::Document, &d);
            keys_are_columns(
                EntityType::Document,
                &document_patch(&mut rng, &Value::Object(d), i),
            );
            let n = annotation_state(&mut rng, &actx);
            keys_are_columns(EntityType::Annotation, &n);
            keys_are_columns(
                EntityType::Annotation,
                &annotation_patch(&mut rng, &Value::Object(n), &actx, 0),
            );
        }
        keys_are_columns(EntityType::Atom, &hot_patch(3));
    }

    #[test]
    fn document_hash_is_sha256_of_bytes() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let d = document_state(&mut rng, 0, Uuid::nil());
        let bytes = document_bytes(
            d["format"].as_str().unwrap_or_default(),
            d["content"].as_str().unwrap_or_default(),
        );
        assert_eq!(d["content_hash"], Value::String(sha256_hex(&bytes)));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
