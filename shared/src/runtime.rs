//! `run(operation, handler)`: what every operation's `main` calls. Builds configuration, AWS
//! clients and logging once per cold start, then serves invocations. Two functions need no AWS
//! client: not-found (`run_without_services`) and the console (`run_static`).

use crate::aws_calls::CallLog;
use crate::config::Config;
use crate::error::ApiError;
use crate::model::{Account, CatalogTemplate, DomainSmsHour};
use crate::secrets::pepper::Pepper;
use crate::secrets::sealing::SecretSealer;
use crate::sms::SnsSender;
use crate::store::DynamoStore;
pub use lambda_http::Error;
use lambda_http::{service_fn, Body, Request, RequestExt, Response};
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;
use tracing::Instrument;

/// What a handler may use: built once, shared by every invocation of the process.
///
/// DynamoDB is built at init: every function reads the table. SNS, KMS and Secrets Manager are
/// built by their accessors at first use, so a function that never calls one does not link its
/// SDK crate at all (fat LTO drops the unreachable client): bench/results.md measured every
/// function carrying all four clients at up to 1.41x baseline D's zipped size.
pub struct Services {
    pub config: Config,
    pub store: DynamoStore,
    aws: aws_config::SdkConfig,
    sms: OnceLock<SnsSender>,
    sealer: OnceLock<SecretSealer>,
    pepper: OnceLock<Pepper>,
    catalog: Mutex<Option<(Instant, Option<Arc<CatalogTemplate>>)>>,
}

/// An SDK client on the shared configuration that logs its calls (see aws_calls); one macro
/// for four SDK crates whose builders share no trait.
macro_rules! client {
    ($sdk:ident, $aws:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($aws)
                .interceptor(CallLog)
                .build(),
        )
    };
}

impl Services {
    /// Reads the environment and builds the DynamoDB client (no network traffic yet).
    pub async fn from_env() -> Result<Self, lambda_http::Error> {
        let config = Config::from_env()?;
        let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let store = DynamoStore::new(client!(aws_sdk_dynamodb, &aws), config.table_name.clone());
        Ok(Self {
            config,
            store,
            aws,
            sms: OnceLock::new(),
            sealer: OnceLock::new(),
            pepper: OnceLock::new(),
            catalog: Mutex::new(None),
        })
    }

    /// SMS delivery (SNS).
    pub fn sms(&self) -> &SnsSender {
        self.sms.get_or_init(|| {
            SnsSender::new(
                client!(aws_sdk_sns, &self.aws),
                self.config.sms_sender_id.clone(),
            )
        })
    }

    /// Sealing of OTP secrets (KMS).
    pub fn sealer(&self) -> &SecretSealer {
        self.sealer.get_or_init(|| {
            SecretSealer::new(
                client!(aws_sdk_kms, &self.aws),
                self.config.otp_kms_key_id.clone(),
            )
        })
    }

    /// The HMAC key of codes (Secrets Manager, read once per process).
    pub fn pepper(&self) -> &Pepper {
        self.pepper.get_or_init(|| {
            Pepper::new(
                self.config.pepper.clone(),
                client!(aws_sdk_secretsmanager, &self.aws),
            )
        })
    }
}

impl Services {
    /// The trail of this request's events (add `.acting(caller)` once there is a caller).
    pub fn trail(&self, req: &lambda_http::Request) -> crate::events::Trail {
        crate::events::Trail::new(&self.config, req)
    }

    /// A fresh read of a user's account, after a conditional write found it changed.
    pub async fn reload_account(&self, user_id: &str) -> Result<Account, ApiError> {
        self.store
            .load_account(user_id)
            .await?
            .ok_or_else(|| ApiError::user_not_found(user_id))
    }

    /// The service catalog's template (none if the operator set none), read at most once per
    /// `CATALOG_TTL_SECONDS` per process: a change reaches every function within that time,
    /// without a redeploy.
    pub async fn catalog(&self) -> Result<Option<Arc<CatalogTemplate>>, ApiError> {
        let cached = self.catalog.lock().ok().and_then(|c| c.clone());
        if let Some((read_at, catalog)) = cached {
            if read_at.elapsed() < self.config.catalog_ttl {
                return Ok(catalog);
            }
        }
        let catalog = self.store.get_catalog().await?.map(Arc::new);
        if let Ok(mut cache) = self.catalog.lock() {
            *cache = Some((Instant::now(), catalog.clone()));
        }
        Ok(catalog)
    }

    /// The domain's SMS count of the hour `now` falls in (none for a user without a domain):
    /// what `SmsSpend::plan` weighs besides the user's own logs.
    pub async fn domain_sms_hour(
        &self,
        account: &Account,
        now: i64,
    ) -> Result<Option<DomainSmsHour>, ApiError> {
        match &account.user.domain_id {
            Some(domain) => Ok(Some(
                self.store
                    .get_domain_sms_hour(domain, DomainSmsHour::at(now).hour)
                    .await?,
            )),
            None => Ok(None),
        }
    }
}

/// JSON logs on stdout (CloudWatch), one line per event. Nothing logged here or by handlers
/// includes request bodies, headers, codes or tokens.
///
/// `LOG_LEVEL` is read as a `Targets` filter (`info`, `info,aws_call=debug`): the same syntax as
/// `EnvFilter` for levels and targets, without its field filters, whose regex engine every binary
/// would otherwise link.
pub fn init_logging() {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let targets = std::env::var("LOG_LEVEL")
        .ok()
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let json = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(true)
        .with_span_list(false)
        .with_ansi(false)
        .without_time()
        .with_target(false);
    // The WebAuthn library logs what it parses (parser errors print their input: credential
    // ids, keys, client data); its own targets are off whatever LOG_LEVEL says, and our
    // handlers log a refusal's reason by name (`webauthn::Refusal`).
    let silenced = Targets::new()
        .with_default(tracing::Level::TRACE)
        .with_target(
            crate::webauthn::LIBRARY_LOG_TARGET,
            tracing_subscriber::filter::LevelFilter::OFF,
        );
    let _ = tracing_subscriber::registry()
        .with(json)
        .with(targets)
        .with(silenced)
        .try_init();
}

pub async fn run<H, F>(operation: &'static str, handler: H) -> Result<(), lambda_http::Error>
where
    H: Fn(&'static Services, Request) -> F + Copy + Send + 'static,
    F: Future<Output = Result<Response<Body>, ApiError>> + Send,
{
    init_logging();
    let services: &'static Services =
        Box::leak(Box::new(Services::from_env().await.map_err(|e| {
            tracing::error!(operation, error = %e, "cold start failed");
            e
        })?));
    run_traced(operation, move |req| serve(handler, services, req)).await
}

/// `run` for a handler that needs no AWS service but speaks the API (not-found): the same
/// negotiation, size cap and faults, without building `Services` at cold start.
pub async fn run_without_services<H>(
    operation: &'static str,
    handler: H,
) -> Result<(), lambda_http::Error>
where
    H: Fn(Request) -> Result<Response<Body>, ApiError> + Copy + Send + 'static,
{
    init_logging();
    run_traced(operation, move |req| {
        std::future::ready(match admitted(&req) {
            Err(refused) => *refused,
            Ok(format) => crate::http::in_format(answer(handler(req)), format),
        })
    })
    .await
}

/// Runs a handler that needs no AWS service and answers every request itself (the console's
/// static files): no Services to build at cold start, no media negotiation (a browser asks for
/// HTML), the same logs as `run`.
pub async fn run_static<H>(operation: &'static str, handler: H) -> Result<(), lambda_http::Error>
where
    H: Fn(Request) -> Response<Body> + Copy + Send + 'static,
{
    init_logging();
    run_traced(operation, move |req| std::future::ready(handler(req))).await
}

/// The Lambda loop of every function: each request in its span (the operation and the Lambda
/// request id), ended by one "request handled" line with its method, status and duration.
async fn run_traced<R, F>(operation: &'static str, respond: R) -> Result<(), lambda_http::Error>
where
    R: Fn(Request) -> F + Copy + Send + 'static,
    F: Future<Output = Response<Body>> + Send,
{
    lambda_http::run(service_fn(move |req: Request| async move {
        let request_id = req
            .lambda_context_ref()
            .map(|c| c.request_id.clone())
            .unwrap_or_default();
        let span = tracing::info_span!("request", operation, request_id = %request_id);
        let (started, method) = (Instant::now(), req.method().to_string());
        let response = respond(req).instrument(span.clone()).await;
        span.in_scope(|| {
            tracing::info!(
                %method,
                status = response.status().as_u16(),
                duration_ms = started.elapsed().as_millis() as u64,
                "request handled"
            )
        });
        Ok::<_, std::convert::Infallible>(response)
    }))
    .await
}

/// A handler's outcome as a response; internal detail of a failure goes to the log only.
fn answer(outcome: Result<Response<Body>, ApiError>) -> Response<Body> {
    outcome.unwrap_or_else(|err| {
        if let Some(detail) = err.internal_detail() {
            tracing::error!(status = err.status(), detail, "request failed");
        }
        err.into_response()
    })
}

/// The format to answer a request in, or its answer already. Negotiated first: a client that
/// can read neither format learns it before anything runs. Then the size cap, before any token
/// lookup or parsing: an oversized body costs nothing.
fn admitted(req: &Request) -> Result<crate::media::Format, Box<Response<Body>>> {
    match crate::media::response_format(req.headers()) {
        Err(not_acceptable) => Err(Box::new(not_acceptable.into_response())),
        Ok(format) if req.body().len() > crate::http::MAX_BODY_BYTES => Err(Box::new(
            crate::http::in_format(ApiError::BodyTooLarge.into_response(), format),
        )),
        Ok(format) => Ok(format),
    }
}

async fn serve<H, F>(handler: H, services: &'static Services, req: Request) -> Response<Body>
where
    H: Fn(&'static Services, Request) -> F,
    F: Future<Output = Result<Response<Body>, ApiError>>,
{
    match admitted(&req) {
        Err(refused) => *refused,
        Ok(format) => crate::http::in_format(answer(handler(services, req).await), format),
    }
}
