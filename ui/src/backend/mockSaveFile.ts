// `saveFile` for the mock backend: files kept in memory under the exports folder, with the core's
// refusals (a name that is not a plain file name, a file that exists, both or neither contents).
import { BackendError } from "./errors";
import { MOCK_EXPORTS_DIR } from "./mockExport";
import type { SavedFile, SaveFileRequest } from "./types";

export interface MockSavedFile {
  path: string;
  /** The bytes as the backend would write them: text as is, base64 decoded. */
  bytes: Uint8Array;
}

export function createMockFiles() {
  const files = new Map<string, MockSavedFile>();

  function save(request: SaveFileRequest): SavedFile {
    const name = request.fileName;
    const plain = name.length > 0 && name.length <= 200 && !name.startsWith(".") && !/[/\\\0]/.test(name) && name !== "..";
    if (!plain) throw new BackendError("invalid_input", "a file name has 1 to 200 characters, no folder and no leading dot");
    let bytes: Uint8Array;
    if (request.text !== null && request.base64 === null) bytes = new TextEncoder().encode(request.text);
    else if (request.text === null && request.base64 !== null) {
      const body = request.base64.includes("base64,") ? request.base64.split("base64,")[1]! : request.base64;
      try {
        bytes = Uint8Array.from(atob(body.trim()), (c) => c.charCodeAt(0));
      } catch {
        throw new BackendError("invalid_input", "the file is not valid base64");
      }
    } else throw new BackendError("invalid_input", "a file has either text or base64 contents");
    const path = `${MOCK_EXPORTS_DIR}/${name}`;
    if (files.has(path)) throw new BackendError("invalid_input", `cannot write ${path}: it already exists`);
    files.set(path, { path, bytes });
    return { path, bytes: bytes.length };
  }

  return { save, list: () => [...files.values()] };
}
