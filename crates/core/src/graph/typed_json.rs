//! Bolt property values as JSON that keeps their type, for backups, and back again for
//! restores. JSON scalars and lists are themselves; bytes, temporal and spatial values are
//! tagged objects, `{"$bolt": kind, ...}` — a property value is never a map, so a tag cannot be
//! mistaken for one. (`values::to_json` is for display: there these become text.)

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use neo4rs::{
    BoltBoolean, BoltBytes, BoltDate, BoltDateTime, BoltDateTimeZoneId, BoltDuration, BoltFloat,
    BoltInteger, BoltList, BoltLocalDateTime, BoltLocalTime, BoltMap, BoltNull, BoltPoint2D,
    BoltPoint3D, BoltString, BoltTime, BoltType,
};
use serde::de::IntoDeserializer;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::values::to_json;
use crate::cache::key_name::{hex, parse_hex};
use crate::error::{Error, Result};

const TAG: &str = "$bolt";
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A Bolt value as typed JSON. A value chrono cannot hold (out of its range) is written as its
/// display text, as `to_json` would.
pub fn typed_json(value: &BoltType) -> Value {
    tagged(value).unwrap_or_else(|| match value {
        BoltType::List(l) => Value::Array(l.value.iter().map(typed_json).collect()),
        BoltType::Map(m) => typed_map_json(m),
        other => to_json(other),
    })
}

pub fn typed_map_json(m: &BoltMap) -> Value {
    Value::Object(
        m.value
            .iter()
            .map(|(k, v)| (k.value.clone(), typed_json(v)))
            .collect(),
    )
}

fn tagged(value: &BoltType) -> Option<Value> {
    let tag = |kind: &str, fields: Value| {
        let mut out = Map::new();
        out.insert(TAG.into(), kind.into());
        if let Value::Object(fields) = fields {
            out.extend(fields);
        }
        Value::Object(out)
    };
    Some(match value {
        BoltType::Bytes(b) => tag("bytes", json!({"hex": hex(&b.value)})),
        BoltType::Date(d) => tag(
            "date",
            json!({"value": NaiveDate::try_from(d).ok()?.to_string()}),
        ),
        BoltType::DateTime(d) => {
            let at = DateTime::<FixedOffset>::try_from(d).ok()?;
            tag(
                "datetime",
                json!({"value": at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)}),
            )
        }
        BoltType::LocalDateTime(d) => {
            let at = NaiveDateTime::try_from(d).ok()?;
            tag(
                "localdatetime",
                json!({"value": at.format(LOCAL_FORMAT).to_string()}),
            )
        }
        BoltType::Time(t) => {
            let (time, offset) = <(NaiveTime, FixedOffset)>::from(t);
            tag(
                "time",
                json!({"value": time.to_string(), "offsetSeconds": offset.local_minus_utc()}),
            )
        }
        BoltType::LocalTime(t) => tag(
            "localtime",
            json!({"value": NaiveTime::from(t).to_string()}),
        ),
        // The Bolt seconds as a naive date-time, as neo4rs reads and writes them: lossless.
        BoltType::DateTimeZoneId(z) => {
            let at = NaiveDateTime::try_from(z).ok()?;
            tag(
                "datetimezoneid",
                json!({"value": at.format(LOCAL_FORMAT).to_string(), "zone": z.tz_id()}),
            )
        }
        BoltType::Duration(_) => {
            let (months, days, seconds, nanoseconds) =
                <(i64, i64, i64, i64)>::deserialize(value.into_deserializer()).ok()?;
            tag(
                "duration",
                json!({"months": months, "days": days, "seconds": seconds, "nanoseconds": nanoseconds}),
            )
        }
        BoltType::Point2D(p) => tag(
            "point",
            json!({"srid": p.sr_id.value, "x": p.x.value, "y": p.y.value}),
        ),
        BoltType::Point3D(p) => tag(
            "point",
            json!({"srid": p.sr_id.value, "x": p.x.value, "y": p.y.value, "z": p.z.value}),
        ),
        _ => return None,
    })
}

/// Bytes, temporal and spatial values as text for people (consoles, the inspector): ISO 8601
/// for times and durations, `point({srid, x, y})`, hex for bytes; `None` for other values.
pub fn display_text(value: &BoltType) -> Option<String> {
    let Some(Value::Object(f)) = tagged(value) else {
        return None;
    };
    let field = |name: &str| f.get(name).cloned().unwrap_or(Value::Null);
    let text = |name: &str| field(name).as_str().unwrap_or_default().to_owned();
    Some(
        match f.get(TAG).and_then(Value::as_str).unwrap_or_default() {
            "bytes" => text("hex"),
            "time" => {
                let offset = field("offsetSeconds").as_i64().unwrap_or(0);
                let sign = if offset < 0 { '-' } else { '+' };
                let abs = offset.unsigned_abs();
                format!(
                    "{}{sign}{:02}:{:02}",
                    text("value"),
                    abs / 3600,
                    abs % 3600 / 60
                )
            }
            "datetimezoneid" => format!("{}[{}]", text("value"), text("zone")),
            "duration" => {
                let n = |name: &str| field(name).as_i64().unwrap_or(0);
                let nanos = n("nanoseconds");
                let fraction = if nanos == 0 {
                    String::new()
                } else {
                    format!(".{:09}", nanos.unsigned_abs())
                        .trim_end_matches('0')
                        .to_owned()
                };
                format!(
                    "P{}M{}DT{}{fraction}S",
                    n("months"),
                    n("days"),
                    n("seconds")
                )
            }
            "point" => {
                let z = f.get("z").map(|z| format!(", z: {z}")).unwrap_or_default();
                format!(
                    "point({{srid: {}, x: {}, y: {}{z}}})",
                    field("srid"),
                    field("x"),
                    field("y")
                )
            }
            _ => text("value"),
        },
    )
}

/// Typed JSON (or any JSON) as a Bolt value: tagged objects become their Bolt type, other
/// objects maps.
pub fn from_typed_json(value: &Value) -> Result<BoltType> {
    Ok(match value {
        Value::Null => BoltType::Null(BoltNull),
        Value::Bool(b) => BoltType::Boolean(BoltBoolean::new(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => BoltType::Integer(BoltInteger::new(i)),
            None => BoltType::Float(BoltFloat::new(n.as_f64().unwrap_or(f64::NAN))),
        },
        Value::String(s) => BoltType::String(BoltString::new(s)),
        Value::Array(items) => {
            let mut list = BoltList::new();
            for item in items {
                list.push(from_typed_json(item)?);
            }
            BoltType::List(list)
        }
        Value::Object(fields) => match fields.get(TAG) {
            Some(kind) => untag(kind.as_str().unwrap_or_default(), fields)?,
            None => {
                let mut m = BoltMap::new();
                for (k, v) in fields {
                    m.put(BoltString::new(k), from_typed_json(v)?);
                }
                BoltType::Map(m)
            }
        },
    })
}

fn untag(kind: &str, fields: &Map<String, Value>) -> Result<BoltType> {
    let bad = |what: &str| Error::InvalidInput(format!("a graph value tagged {kind:?}: {what}"));
    let text = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| bad(&format!("no text field {name:?}")))
    };
    let int = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_i64)
            .ok_or_else(|| bad(&format!("no integer field {name:?}")))
    };
    let float = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_f64)
            .ok_or_else(|| bad(&format!("no number field {name:?}")))
    };
    let parsed = |e: chrono::ParseError| bad(&e.to_string());
    Ok(match kind {
        "bytes" => BoltType::Bytes(BoltBytes::new(
            parse_hex(text("hex")?)
                .map_err(|e| bad(&e.to_string()))?
                .into(),
        )),
        "date" => BoltType::Date(BoltDate::from(
            text("value")?.parse::<NaiveDate>().map_err(parsed)?,
        )),
        "datetime" => BoltType::DateTime(BoltDateTime::from(
            DateTime::parse_from_rfc3339(text("value")?).map_err(parsed)?,
        )),
        "localdatetime" => BoltType::LocalDateTime(BoltLocalDateTime::from(
            NaiveDateTime::parse_from_str(text("value")?, LOCAL_FORMAT).map_err(parsed)?,
        )),
        "time" => {
            let offset = i32::try_from(int("offsetSeconds")?)
                .ok()
                .and_then(FixedOffset::east_opt)
                .ok_or_else(|| bad("offset out of range"))?;
            let time = text("value")?.parse::<NaiveTime>().map_err(parsed)?;
            BoltType::Time(BoltTime::from((time, offset)))
        }
        "localtime" => BoltType::LocalTime(BoltLocalTime::from(
            text("value")?.parse::<NaiveTime>().map_err(parsed)?,
        )),
        "datetimezoneid" => BoltType::DateTimeZoneId(BoltDateTimeZoneId::from((
            NaiveDateTime::parse_from_str(text("value")?, LOCAL_FORMAT).map_err(parsed)?,
            text("zone")?,
        ))),
        "duration" => BoltType::Duration(BoltDuration::new(
            int("months")?.into(),
            int("days")?.into(),
            int("seconds")?.into(),
            int("nanoseconds")?.into(),
        )),
        "point" => {
            let (sr_id, x, y) = (
                BoltInteger::new(int("srid")?),
                BoltFloat::new(float("x")?),
                BoltFloat::new(float("y")?),
            );
            match fields.get("z") {
                Some(_) => BoltType::Point3D(BoltPoint3D {
                    sr_id,
                    x,
                    y,
                    z: BoltFloat::new(float("z")?),
                }),
                None => BoltType::Point2D(BoltPoint2D { sr_id, x, y }),
            }
        }
        other => return Err(bad(&format!("{other:?} is not a kind this version knows"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bolt → typed JSON is `expect`, and back gives the same Bolt value.
    fn check(value: BoltType, expect: Value) {
        let json = typed_json(&value);
        assert_eq!(json, expect);
        assert_eq!(from_typed_json(&json).expect("back"), value, "{json}");
    }

    #[test]
    fn every_kind_round_trips_with_its_type() {
        let at = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.123456789+01:00").expect("at");
        let naive = at.naive_local();
        let time = NaiveTime::from_hms_milli_opt(3, 4, 5, 6).expect("time");
        check(BoltType::from("text"), json!("text"));
        check(BoltType::from(7_i64), json!(7));
        check(BoltType::from(1.5_f64), json!(1.5));
        check(
            BoltType::Bytes(BoltBytes::new(vec![0_u8, 1, 255].into())),
            json!({"$bolt": "bytes", "hex": "0001ff"}),
        );
        check(
            BoltType::Date(BoltDate::from(naive.date())),
            json!({"$bolt": "date", "value": "2026-01-02"}),
        );
        check(
            BoltType::DateTime(BoltDateTime::from(at)),
            json!({"$bolt": "datetime", "value": "2026-01-02T03:04:05.123456789+01:00"}),
        );
        check(
            BoltType::LocalDateTime(BoltLocalDateTime::from(naive)),
            json!({"$bolt": "localdatetime", "value": "2026-01-02T03:04:05.123456789"}),
        );
        check(
            BoltType::Time(BoltTime::from((
                time,
                FixedOffset::east_opt(-3600).expect("offset"),
            ))),
            json!({"$bolt": "time", "value": "03:04:05.006", "offsetSeconds": -3600}),
        );
        check(
            BoltType::LocalTime(BoltLocalTime::from(time)),
            json!({"$bolt": "localtime", "value": "03:04:05.006"}),
        );
        check(
            BoltType::DateTimeZoneId(BoltDateTimeZoneId::from((naive, "Europe/Berlin"))),
            json!({"$bolt": "datetimezoneid", "value": "2026-01-02T03:04:05.123456789", "zone": "Europe/Berlin"}),
        );
        check(
            BoltType::Duration(BoltDuration::new(14.into(), 3.into(), 61.into(), 5.into())),
            json!({"$bolt": "duration", "months": 14, "days": 3, "seconds": 61, "nanoseconds": 5}),
        );
        let (sr_id, x, y) = (
            BoltInteger::new(4326),
            BoltFloat::new(13.4),
            BoltFloat::new(52.5),
        );
        check(
            BoltType::Point2D(BoltPoint2D {
                sr_id: sr_id.clone(),
                x: x.clone(),
                y: y.clone(),
            }),
            json!({"$bolt": "point", "srid": 4326, "x": 13.4, "y": 52.5}),
        );
        check(
            BoltType::Point3D(BoltPoint3D {
                sr_id,
                x,
                y,
                z: BoltFloat::new(-1.0),
            }),
            json!({"$bolt": "point", "srid": 4326, "x": 13.4, "y": 52.5, "z": -1.0}),
        );
        let mut list = BoltList::new();
        list.push(BoltType::Date(BoltDate::from(naive.date())));
        check(
            BoltType::List(list),
            json!([{"$bolt": "date", "value": "2026-01-02"}]),
        );
    }

    #[test]
    fn typed_values_read_as_text_for_people() {
        let at = DateTime::parse_from_rfc3339("2026-01-02T03:04:05.5+01:00").expect("at");
        let time = NaiveTime::from_hms_opt(3, 4, 5).expect("time");
        for (value, expect) in [
            (
                BoltType::DateTime(BoltDateTime::from(at)),
                "2026-01-02T03:04:05.500+01:00",
            ),
            (
                BoltType::LocalDateTime(BoltLocalDateTime::from(at.naive_local())),
                "2026-01-02T03:04:05.500",
            ),
            (
                BoltType::Date(BoltDate::from(at.date_naive())),
                "2026-01-02",
            ),
            (
                BoltType::Time(BoltTime::from((
                    time,
                    FixedOffset::west_opt(5400).expect("tz"),
                ))),
                "03:04:05-01:30",
            ),
            (
                BoltType::DateTimeZoneId(BoltDateTimeZoneId::from((
                    at.naive_local(),
                    "Europe/Berlin",
                ))),
                "2026-01-02T03:04:05.500[Europe/Berlin]",
            ),
            (
                BoltType::Duration(BoltDuration::new(
                    1.into(),
                    2.into(),
                    3.into(),
                    500_000_000.into(),
                )),
                "P1M2DT3.5S",
            ),
            (
                BoltType::Point2D(BoltPoint2D {
                    sr_id: BoltInteger::new(7203),
                    x: BoltFloat::new(1.5),
                    y: BoltFloat::new(-2.0),
                }),
                "point({srid: 7203, x: 1.5, y: -2.0})",
            ),
            (
                BoltType::Bytes(BoltBytes::new(vec![10_u8, 11].into())),
                "0a0b",
            ),
        ] {
            assert_eq!(display_text(&value).as_deref(), Some(expect), "{value:?}");
            assert_eq!(to_json(&value), json!(expect), "{value:?}");
        }
        assert_eq!(display_text(&BoltType::from("plain")), None);
    }

    #[test]
    fn a_broken_tag_is_a_clear_error() {
        for bad in [
            json!({"$bolt": "date", "value": "yesterday"}),
            json!({"$bolt": "bytes", "hex": "abc"}),
            json!({"$bolt": "time", "value": "03:04:05"}),
            json!({"$bolt": "hologram"}),
        ] {
            let err = from_typed_json(&bad).expect_err("refused");
            assert!(err.to_string().contains("tagged"), "{err}");
        }
    }
}
