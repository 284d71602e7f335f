//! Files the UI makes itself (a graph view as PNG or JSON) saved into the exports folder: the
//! webview cannot write files, and a download link does not work in every webview.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::output_file;

use super::Storelens;

/// Largest file accepted (after decoding).
const MAX_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SaveFileRequest {
    /// A plain file name, e.g. `graph-globex.png`.
    pub file_name: String,
    /// The contents as text (JSON), or
    pub text: Option<String>,
    /// as base64 (an image; a `data:` URL prefix is allowed).
    pub base64: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: String,
    pub bytes: u32,
}

impl Storelens {
    /// Saves a file the UI made into the exports folder (never over an existing file).
    #[tracing::instrument(skip(self, request), fields(file = %request.file_name), err)]
    pub async fn save_file(&self, request: SaveFileRequest) -> Result<SavedFile> {
        let bytes = match (request.text, request.base64) {
            (Some(text), None) => text.into_bytes(),
            (None, Some(b64)) => {
                let body = b64.split_once("base64,").map_or(b64.as_str(), |(_, b)| b);
                base64::engine::general_purpose::STANDARD
                    .decode(body.trim())
                    .map_err(|e| {
                        Error::InvalidInput(format!("the file is not valid base64: {e}"))
                    })?
            }
            _ => {
                return Err(Error::InvalidInput(
                    "a file has either text or base64 contents".into(),
                ))
            }
        };
        if bytes.len() > MAX_BYTES {
            return Err(Error::InvalidInput(format!(
                "a saved file has at most {} MiB",
                MAX_BYTES >> 20
            )));
        }
        let dir = self.dirs.exports.clone();
        let name = request.file_name;
        let size = bytes.len() as u32;
        let path = tokio::task::spawn_blocking(move || output_file::save_new(&dir, &name, &bytes))
            .await
            .map_err(|e| Error::Internal(format!("saving the file: {e}")))??;
        Ok(SavedFile {
            path: path.display().to_string(),
            bytes: size,
        })
    }
}
