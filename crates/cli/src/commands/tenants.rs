use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use storelens_core::tenants::{Tenant, TenantLocation, TenantQuery, TenantSort, Tier};
use storelens_core::{Result, Storelens};

use crate::output::Output;

#[derive(Subcommand)]
pub enum TenantsCommand {
    /// List tenants: tier and where each lives.
    List(ListArgs),
    /// One tenant by id or slug.
    Show { tenant: String },
}

#[derive(Args)]
pub struct ListArgs {
    /// Literal text to find in the id, slug or name.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum, default_value = "slug")]
    pub sort: SortArg,
    /// 0-based page number.
    #[arg(long, default_value_t = 0)]
    pub page: u32,
    #[arg(long, default_value_t = 100)]
    pub page_size: u32,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    Slug,
    Name,
    Tier,
    Created,
}

pub async fn run(app: &Storelens, connection: &str, command: TenantsCommand, out: &Output) -> Result<ExitCode> {
    match command {
        TenantsCommand::List(a) => {
            let sort = match a.sort {
                SortArg::Slug => TenantSort::Slug,
                SortArg::Name => TenantSort::Name,
                SortArg::Tier => TenantSort::Tier,
                SortArg::Created => TenantSort::CreatedAt,
            };
            let query = TenantQuery { search: a.search, sort: Some(sort), page: Some(a.page), page_size: Some(a.page_size) };
            let page = app.list_tenants(connection, query).await?;
            out.print(&page, |p| {
                let mut lines: Vec<String> = p.tenants.iter().map(line).collect();
                lines.push(format!("page {} ({} per page) of {} tenants", p.page, p.page_size, p.total));
                lines.join("\n")
            });
        }
        TenantsCommand::Show { tenant } => {
            let t = app.get_tenant(connection, &tenant).await?;
            out.print(&t, line);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn line(t: &Tenant) -> String {
    let tier = match t.tier {
        Tier::Row => "row",
        Tier::Schema => "schema",
        Tier::Database => "database",
    };
    let place = match &t.location {
        TenantLocation::Row { schema, tenant_column } => format!("{schema}.* where {tenant_column} = id"),
        TenantLocation::Schema { schema } => format!("schema {schema}"),
        TenantLocation::Database { host, database, schema } => {
            format!("database {database}.{schema}{}", host.as_deref().map(|h| format!(" on {h}")).unwrap_or_default())
        }
    };
    format!("{:<24} {:<36} {:<9} {}", t.slug, t.id, tier, place)
}
