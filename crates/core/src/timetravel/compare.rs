//! Comparing a reconstructed state with what a store holds. JSON from different sources spells
//! the same number differently (`1` from a numeric column, `1.0` from a payload), so numbers are
//! compared by value.

use serde_json::Value;

/// Equal as data: numbers by value, objects key by key, arrays element by element.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_json(&json!(1), &json!(1.0)));
        assert!(same_json(
            &json!({"a": [1, {"b": 2.50}]}),
            &json!({"a": [1.0, {"b": 2.5}]})
        ));
        assert!(!same_json(&json!(1), &json!("1")));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
    }
}
