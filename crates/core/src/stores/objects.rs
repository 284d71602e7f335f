//! S3-compatible object storage through `object_store`. One handle per bucket; the default
//! bucket comes from the connection, per-tenant buckets from the profile.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, RetryConfig};

use super::Probe;
use crate::connection::ObjectsEndpoint;
use crate::error::{chain, redact, Error, Result, StoreKind};

const STORE: StoreKind = StoreKind::Objects;

#[derive(Debug, Clone)]
pub struct Objects {
    endpoint: ObjectsEndpoint,
    secret: Option<String>,
    timeout: Duration,
    default_bucket: Arc<AmazonS3>,
    read_only: bool,
}

impl Objects {
    pub fn open(
        endpoint: &ObjectsEndpoint,
        secret: Option<&str>,
        read_only: bool,
        timeout: Duration,
    ) -> Result<Self> {
        let default_bucket = Arc::new(build(endpoint, secret, &endpoint.bucket, timeout)?);
        Ok(Self {
            endpoint: endpoint.clone(),
            secret: secret.map(str::to_owned),
            timeout,
            default_bucket,
            read_only,
        })
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    pub fn default_bucket(&self) -> Arc<AmazonS3> {
        self.default_bucket.clone()
    }

    /// A handle on another bucket of the same server (per-tenant bucket layouts).
    /// Where a tenant's objects are, by the profile: its bucket and prefix, and the folder to
    /// list (`list` takes whole path segments; a prefix ending inside one, `tenant-7-`, is
    /// listed from its folder and filtered).
    pub fn tenant_objects(
        &self,
        spec: &crate::profile::ObjectsSpec,
        tenant: &crate::tenants::Tenant,
    ) -> Result<TenantObjects> {
        use crate::profile::{fill_pattern, ObjectLayout};
        let bucket = fill_pattern(&spec.bucket, &tenant.vars())?;
        let prefix = fill_pattern(&spec.tenant_prefix, &tenant.vars())?;
        if spec.layout == ObjectLayout::Shared && prefix.is_empty() {
            return Err(Error::Profile(
                "objects.tenant_prefix is empty in a shared bucket: every object would be the tenant's"
                    .into(),
            ));
        }
        let dir = prefix.rsplit_once('/').map_or("", |(dir, _)| dir);
        let list_from = (!dir.is_empty()).then(|| ObjectPath::from(dir));
        Ok(TenantObjects {
            store: self.bucket(&bucket)?,
            bucket,
            prefix,
            list_from,
        })
    }

    pub fn bucket(&self, name: &str) -> Result<Arc<AmazonS3>> {
        if name == self.endpoint.bucket {
            return Ok(self.default_bucket());
        }
        Ok(Arc::new(build(
            &self.endpoint,
            self.secret.as_deref(),
            name,
            self.timeout,
        )?))
    }

    /// Lists at most one object of the bucket: proves the endpoint, the credentials and the
    /// bucket; then asks the HTTP server for its name.
    pub async fn probe(&self) -> Result<Probe> {
        let prefix = ObjectPath::from("storelens-probe");
        let mut listing = self.default_bucket.list(Some(&prefix));
        if let Some(item) = listing.next().await {
            item.map_err(map_error)?;
        }
        Ok(Probe {
            version: self.server_header().await,
            server_read_only: None,
        })
    }

    /// S3 has no version call; the HTTP `Server` header is the best there is (AWS and MinIO
    /// send one, some servers none).
    async fn server_header(&self) -> Option<String> {
        let client = reqwest::Client::builder()
            .timeout(self.timeout)
            .build()
            .ok()?;
        let response = client.head(&self.endpoint.endpoint).send().await.ok()?;
        let server = response
            .headers()
            .get(reqwest::header::SERVER)
            .and_then(|v| v.to_str().ok());
        Some(match server {
            Some(server) => format!("S3 API ({server})"),
            None => "S3 API".to_owned(),
        })
    }
}

fn build(
    endpoint: &ObjectsEndpoint,
    secret: Option<&str>,
    bucket: &str,
    timeout: Duration,
) -> Result<AmazonS3> {
    let retry = RetryConfig {
        max_retries: 1,
        retry_timeout: timeout,
        ..RetryConfig::default()
    };
    // Client options first: `with_allow_http` writes into them and would be overwritten.
    AmazonS3Builder::new()
        .with_client_options(
            ClientOptions::new()
                .with_timeout(timeout)
                .with_connect_timeout(timeout),
        )
        .with_endpoint(&endpoint.endpoint)
        .with_allow_http(endpoint.endpoint.starts_with("http://"))
        .with_region(&endpoint.region)
        .with_bucket_name(bucket)
        .with_access_key_id(&endpoint.access_key_id)
        .with_secret_access_key(secret.unwrap_or_default())
        .with_virtual_hosted_style_request(false)
        .with_retry(retry)
        .build()
        .map_err(|e| Error::InvalidInput(format!("S3 configuration: {}", redact(&e.to_string()))))
}

pub fn map_error(e: object_store::Error) -> Error {
    let text = redact(&chain(&e));
    match &e {
        object_store::Error::NotFound { .. } => Error::NotFound(text),
        object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => Error::Auth {
            store: STORE,
            message: text,
        },
        _ if text.contains("NoSuchBucket") => Error::NotFound(text),
        _ if text.contains("InvalidAccessKeyId")
            || text.contains("SignatureDoesNotMatch")
            || text.contains("AccessDenied") =>
        {
            Error::Auth {
                store: STORE,
                message: text,
            }
        }
        _ if text.contains("connect")
            || text.contains("timed out")
            || text.contains("Connection refused")
            || text.contains("error sending request") =>
        {
            Error::Unavailable {
                store: STORE,
                message: text,
            }
        }
        _ => Error::Query {
            store: STORE,
            message: text,
        },
    }
}

/// A tenant's objects: the bucket's client, its name, the tenant's prefix and the folder to
/// list (keys listed from it must still start with `prefix`).
pub struct TenantObjects {
    pub store: Arc<AmazonS3>,
    pub bucket: String,
    pub prefix: String,
    pub list_from: Option<ObjectPath>,
}
