//! One place decides how results and errors are printed.

use std::process::ExitCode;

use serde::Serialize;
use storelens_core::{Error, ErrorPayload};

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the human text from `human`.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("storelens: cannot encode JSON: {e}"),
            }
        } else {
            let text = human(value);
            if !text.is_empty() {
                println!("{text}");
            }
        }
    }

    pub fn error(&self, e: &Error) -> ExitCode {
        let payload = ErrorPayload::from(e);
        if self.json {
            let body = serde_json::json!({ "error": payload });
            println!("{body}");
        } else {
            eprintln!(
                "storelens: {} ({})",
                payload.message,
                serde_json::to_value(payload.code)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("error")
            );
        }
        ExitCode::from(2)
    }
}
