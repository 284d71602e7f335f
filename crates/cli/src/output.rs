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
                Ok(text) => line(&text),
                Err(e) => eprintln!("storelens: cannot encode JSON: {e}"),
            }
        } else {
            let text = human(value);
            if !text.is_empty() {
                line(&text);
            }
        }
    }

    pub fn error(&self, e: &Error) -> ExitCode {
        let payload = ErrorPayload::from(e);
        if self.json {
            let body = serde_json::json!({ "error": payload });
            line(&body);
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

/// Writes a line to stdout. A reader that went away (`storelens ... | head`) ends the output
/// quietly instead of a panic, as with any Unix tool.
pub fn line(text: &dyn std::fmt::Display) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{text}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("storelens: cannot write the output: {e}");
    }
}

/// Cells wider than this are cut in human output (`--json` carries them whole).
const MAX_CELL_WIDTH: usize = 60;

/// A text table: a header, a rule, then one line per row; NULL shows as `null`.
pub fn grid(columns: &[String], rows: &[Vec<Option<String>>]) -> String {
    let shown: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    None => "null".to_owned(),
                    Some(text) => {
                        let flat = text.replace(['\n', '\r', '\t'], " ");
                        match flat.char_indices().nth(MAX_CELL_WIDTH) {
                            Some((cut, _)) => format!("{}…", &flat[..cut]),
                            None => flat,
                        }
                    }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            shown
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(columns)];
    out.push(line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    out.extend(shown.iter().map(|r| line(r)));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::grid;

    #[test]
    fn grids_align_columns_and_show_null() {
        let text = grid(
            &["id".into(), "name".into()],
            &[
                vec![Some("1".into()), None],
                vec![Some("22".into()), Some("a\nb".into())],
            ],
        );
        assert_eq!(text, "id  name\n--  ----\n1   null\n22  a b");
    }
}
