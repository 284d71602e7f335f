//! `storelens query <sql|cypher|redis> <statement>`: the read-only consoles from a shell.
//! Exit code 0 when the statement ran, 2 on an error (a refused write is `read_only`).

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use storelens_core::console::{ConsoleRequest, QueryLanguage};
use storelens_core::{Result, Storelens};

use crate::output::{grid, Output};

#[derive(Args)]
pub struct QueryArgs {
    pub language: LanguageArg,
    /// The statement (one SQL statement, one Cypher query, or one Redis command line).
    pub statement: String,
    /// Run in this tenant's space (id or slug): its schema or database for SQL, `$tenant` in
    /// Cypher.
    #[arg(long, short)]
    pub tenant: Option<String>,
    /// Rows kept (at most 10,000).
    #[arg(long, default_value_t = 500)]
    pub max_rows: u32,
    /// The connection; defaults to `sandbox`, or the only connection there is.
    #[arg(long, short)]
    pub connection: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    Sql,
    Cypher,
    Redis,
}

pub async fn run(app: &Storelens, args: QueryArgs, out: &Output) -> Result<ExitCode> {
    let name = app.resolve_name(args.connection.as_deref())?;
    let language = match args.language {
        LanguageArg::Sql => QueryLanguage::Sql,
        LanguageArg::Cypher => QueryLanguage::Cypher,
        LanguageArg::Redis => QueryLanguage::Redis,
    };
    let request = ConsoleRequest {
        language,
        text: args.statement,
        tenant: args.tenant,
        max_rows: Some(args.max_rows),
    };
    let result = app.run_console(&name, request).await?;
    out.print(&result, |r| {
        let more = if r.more { ", more rows exist" } else { "" };
        format!(
            "{}\n({} rows{more}; {} in {} ms)",
            grid(&r.columns, &r.rows),
            r.rows.len(),
            r.scope,
            r.elapsed_ms
        )
    });
    Ok(ExitCode::SUCCESS)
}
