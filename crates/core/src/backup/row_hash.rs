//! A table's rows counted and hashed, for the manifest and for comparing a restore with it.
//!
//! The hash is a multiset hash (each row's hash, summed): no sort, so it costs the server what
//! the row hashes cost. Two ways to hash a row, the first one that works:
//! - `record`: `hash_record_extended(t, 0)`, each column's own hash function (PostgreSQL 14+).
//!   It reads no text: on 285,877 events 0.16 s where md5 of the row's text took 0.88 s. Equal
//!   values hash equal (`1.0` and `1.00` alike, as a restore keeps them apart anyway).
//! - `md5`: the first 60 bits of the md5 of the row's text; for any column type (a `json` or
//!   `point` column has no hash function) and any server.
//!
//! The way is written into the hash (`record:<sum>`; an md5 sum is a bare number, as in every
//! manifest before `record` existed), so a restore hashes the way its backup did.

use sqlx::{Connection, PgConnection, Row};

use super::manifest::Measure;
use crate::error::Result;
use crate::stores::postgres::map_error;

const RECORD_PREFIX: &str = "record:";
/// `could not identify an extended hash function for type …`, or no such function at all.
const UNDEFINED_FUNCTION: &str = "42883";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowHash {
    Record,
    Md5,
}

impl RowHash {
    /// The way `hash` (a measure's hash) was taken.
    pub fn of(hash: &str) -> Self {
        if hash.starts_with(RECORD_PREFIX) {
            Self::Record
        } else {
            Self::Md5
        }
    }

    /// The way the measure `what` among `measures` was hashed (none when it is not there).
    pub fn of_measure<'m>(
        measures: impl IntoIterator<Item = &'m Measure>,
        what: &str,
    ) -> Option<Self> {
        measures
            .into_iter()
            .find(|m| m.what == what)
            .and_then(|m| m.hash.as_deref())
            .map(Self::of)
    }

    fn row_sql(self) -> &'static str {
        match self {
            Self::Record => "hash_record_extended(t, 0)",
            Self::Md5 => "('x' || left(md5(t::text), 15))::bit(60)::bigint",
        }
    }

    fn label(self, sum: String) -> String {
        match self {
            Self::Record => format!("{RECORD_PREFIX}{sum}"),
            Self::Md5 => sum,
        }
    }
}

/// The rows of `qualified` (condition empty or starting with ` where`), counted and hashed
/// `how`, as the measure `what`; with `None`, by `record` when every column can be hashed so,
/// otherwise by `md5`.
/// Inside a transaction the `record` attempt runs in a savepoint, so its failure leaves the
/// transaction (and a snapshot it exported) usable.
pub async fn measure_rows(
    conn: &mut PgConnection,
    what: String,
    qualified: &str,
    condition: &str,
    how: Option<RowHash>,
) -> Result<Measure> {
    let (how, n, sum) = match how {
        Some(how) => {
            let (n, sum) = count_and_sum(&mut *conn, how, qualified, condition)
                .await
                .map_err(map_error)?;
            (how, n, sum)
        }
        None => {
            let mut attempt = conn.begin().await.map_err(map_error)?;
            match count_and_sum(&mut attempt, RowHash::Record, qualified, condition).await {
                Ok((n, sum)) => {
                    attempt.commit().await.map_err(map_error)?;
                    (RowHash::Record, n, sum)
                }
                Err(sqlx::Error::Database(e))
                    if e.code().as_deref() == Some(UNDEFINED_FUNCTION) =>
                {
                    attempt.rollback().await.map_err(map_error)?;
                    let (n, sum) = count_and_sum(&mut *conn, RowHash::Md5, qualified, condition)
                        .await
                        .map_err(map_error)?;
                    (RowHash::Md5, n, sum)
                }
                Err(e) => return Err(map_error(e)),
            }
        }
    };
    Ok(Measure::new(what, n, Some(how.label(sum))))
}

async fn count_and_sum(
    conn: &mut PgConnection,
    how: RowHash,
    qualified: &str,
    condition: &str,
) -> std::result::Result<(u64, String), sqlx::Error> {
    let row = sqlx::query(&format!(
        "select count(*) as n, coalesce(sum({}), 0)::text as h from {qualified} t{condition}",
        how.row_sql()
    ))
    .fetch_one(conn)
    .await?;
    let n: i64 = row.try_get("n")?;
    Ok((n.unsigned_abs(), row.try_get("h")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_is_read_back_from_the_hash() {
        for how in [RowHash::Record, RowHash::Md5] {
            assert_eq!(RowHash::of(&how.label("-12345".into())), how);
        }
        // Manifests written before `record` existed hold bare md5 sums.
        assert_eq!(RowHash::of("98765"), RowHash::Md5);
    }
}
