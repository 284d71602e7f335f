//! The graph's own labels and relationship types (`db.labels()`, `db.relationshipTypes()`):
//! a label or type a user names must be one of them, so a typo or an injection attempt gets a
//! clear `invalid_input` listing what exists, and nothing user-typed is spliced into Cypher.

use neo4rs::query;

use crate::error::{Error, Result, StoreKind};
use crate::ident::Ident;
use crate::stores::graph::{map_error, Graph};

pub struct Schema {
    pub labels: Vec<String>,
    pub types: Vec<String>,
}

impl Schema {
    /// One after the other: two tiny statements on one connection cost less than a second
    /// connection (its handshake and authentication) would.
    pub async fn read(graph: &Graph) -> Result<Self> {
        let labels = strings(graph, "CALL db.labels() YIELD label RETURN label AS v").await?;
        let types = strings(
            graph,
            "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS v",
        )
        .await?;
        Ok(Self { labels, types })
    }

    /// The label as an `Ident` for a pattern, when the graph has it.
    pub fn label(&self, name: &str) -> Result<Ident> {
        check("label", name, &self.labels)?;
        Ident::parse(name)
    }

    pub fn check_labels(&self, names: &[String]) -> Result<()> {
        names
            .iter()
            .try_for_each(|n| check("label", n, &self.labels))
    }

    pub fn check_types(&self, names: &[String]) -> Result<()> {
        names
            .iter()
            .try_for_each(|n| check("relationship type", n, &self.types))
    }
}

fn check(what: &str, name: &str, known: &[String]) -> Result<()> {
    if known.iter().any(|k| k == name) {
        return Ok(());
    }
    let shown: String = name.chars().take(80).collect();
    Err(Error::InvalidInput(format!(
        "the graph has no {what} {shown:?}; it has: {}",
        known.join(", ")
    )))
}

async fn strings(graph: &Graph, text: &str) -> Result<Vec<String>> {
    let mut rows = graph
        .bolt()
        .execute_read(query(text))
        .await
        .map_err(map_error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.map_err(map_error)? {
        out.push(
            row.get::<String>("v")
                .map_err(|e| Error::query(StoreKind::Graph, e))?,
        );
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_names_pass() {
        let schema = Schema {
            labels: vec!["Atom".into(), "Molecule".into()],
            types: vec!["REQUIRES".into()],
        };
        assert!(schema.label("Atom").is_ok());
        for bad in ["Atom` ) DETACH DELETE n //", "atom", "", "Unknown"] {
            let e = schema.label(bad).expect_err(bad);
            assert!(e.to_string().contains("it has: Atom, Molecule"), "{e}");
        }
        assert!(schema.check_types(&["REQUIRES".into()]).is_ok());
        assert!(schema
            .check_types(&["REQUIRES]->() DELETE".into()])
            .is_err());
        assert!(schema.check_labels(&[]).is_ok());
    }
}
