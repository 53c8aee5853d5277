//! `mfa-admin`: operator CLI. Talks to the table named by `TABLE_NAME` through the standard AWS
//! environment (`AWS_ENDPOINT_URL`, `AWS_REGION`, credentials), with the functions' store code.
//!
//! Output: one line of JSON on stdout on success; one line on stderr and exit 1 on error.

mod args;

use args::{Command, NewUser};
use mfa_shared::model::{now_ms, CatalogTemplate, Tenant, User};
use mfa_shared::roles::{IdentityRole, VALIDATE_TOKEN};
use mfa_shared::secrets::pepper::{decode_pepper, MIN_PEPPER_BYTES};
use mfa_shared::secrets::{hash_password, random_hex};
use mfa_shared::store::{CreateUserError, DynamoStore};
use serde_json::json;
use std::process::ExitCode;

const USAGE: &str = "usage:
  mfa-admin create-table
  mfa-admin create-key [--alias alias/rax-mfa-otp]   (the KMS key of OTP secrets; local stacks)
  mfa-admin create-pepper-secret [--name rax-mfa/code-pepper]   (hex from CODE_PEPPER, else random; local stacks)
  mfa-admin create-user --username U --password P [--domain D] --role R [--role R ...] [--email E]
                        [--default-region R] [--disabled]
  mfa-admin show-user --username U
  mfa-admin disable-user --username U     (also revokes the user's tokens)
  mfa-admin enable-user --username U
  mfa-admin add-tenant --domain D --id T [--name N]     (besides the default tenant, id = name = D)
  mfa-admin set-catalog --file catalog.json   (the service catalog's template; functions re-read it
                                               within CATALOG_TTL_SECONDS)
  mfa-admin show-catalog
  mfa-admin set-domain --domain D --api-key-logins on|off

roles: identity:service-admin identity:admin identity:user-admin identity:user-manage identity:default,
       and identity:validate-token beside any of them (may validate others' tokens)
environment: TABLE_NAME, AWS_ENDPOINT_URL (local emulator), AWS_REGION, AWS credentials";

#[tokio::main]
async fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv).await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("mfa-admin: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(argv: &[String]) -> Result<String, String> {
    let command = args::parse(argv).map_err(|e| format!("{e}\n{USAGE}"))?;
    if let Command::Help = command {
        return Ok(USAGE.to_owned());
    }
    let table = std::env::var("TABLE_NAME")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or("TABLE_NAME is not set")?;
    let aws = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&aws), table);
    match command {
        Command::Help => unreachable!("handled above"),
        Command::CreateTable => {
            let created = store
                .create_table_if_missing()
                .await
                .map_err(|e| e.to_string())?;
            Ok(json!({ "table": store.table_name(), "created": created }).to_string())
        }
        Command::CreateKey { alias } => create_key(&aws, &alias).await,
        Command::CreatePepperSecret { name } => create_pepper_secret(&aws, &name).await,
        Command::CreateUser(new) => create_user(&store, new).await,
        Command::ShowUser { username } => show_user(&store, &username).await,
        Command::SetEnabled { username, enabled } => set_enabled(&store, &username, enabled).await,
        Command::AddTenant { domain, id, name } => {
            let tenant = Tenant {
                id,
                name,
                domain_id: domain,
                enabled: true,
            };
            store.add_tenant(&tenant).await.map_err(|e| e.to_string())?;
            Ok(
                json!({ "id": tenant.id, "name": tenant.name, "domainId": tenant.domain_id })
                    .to_string(),
            )
        }
        Command::SetCatalog { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
            let template = CatalogTemplate::parse(&text).map_err(|e| format!("{file}: {e}"))?;
            store
                .put_catalog(&template, now_ms())
                .await
                .map_err(|e| e.to_string())?;
            Ok(json!({ "services": template.services.len() }).to_string())
        }
        Command::ShowCatalog => {
            let template = store.get_catalog().await.map_err(|e| e.to_string())?;
            serde_json::to_string(&template).map_err(|e| e.to_string())
        }
        Command::SetDomain {
            domain,
            api_key_logins,
        } => {
            if !store
                .set_api_key_logins(&domain, api_key_logins)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no domain '{domain}'"));
            }
            Ok(json!({ "domain": domain, "apiKeyLogins": api_key_logins }).to_string())
        }
    }
}

/// Creates a symmetric KMS key and its alias, unless the alias already names one. In AWS the
/// template creates the key; this serves the local stack (the emulator plays KMS).
async fn create_key(aws: &aws_config::SdkConfig, alias: &str) -> Result<String, String> {
    let kms = aws_sdk_kms::Client::new(aws);
    if let Ok(found) = kms.describe_key().key_id(alias).send().await {
        let id = found.key_metadata.map(|m| m.key_id).unwrap_or_default();
        return Ok(json!({ "keyId": id, "alias": alias, "created": false }).to_string());
    }
    let key = kms
        .create_key()
        .description("rax-mfa: wraps the data keys of OTP secrets")
        .send()
        .await
        .map_err(|e| aws_sdk_kms::error::DisplayErrorContext(e).to_string())?;
    let id = key
        .key_metadata
        .map(|m| m.key_id)
        .ok_or("KMS returned no key")?;
    kms.create_alias()
        .alias_name(alias)
        .target_key_id(&id)
        .send()
        .await
        .map_err(|e| aws_sdk_kms::error::DisplayErrorContext(e).to_string())?;
    Ok(json!({ "keyId": id, "alias": alias, "created": true }).to_string())
}

/// Stores the HMAC pepper in Secrets Manager, where the functions read it
/// (`CODE_PEPPER_SECRET_ID`). The value comes from `CODE_PEPPER` when set (so a test run can
/// scan its logs for it), else from the CSPRNG; it is never printed. In AWS the template creates
/// the secret; this serves the local stack (the emulator plays Secrets Manager).
async fn create_pepper_secret(aws: &aws_config::SdkConfig, name: &str) -> Result<String, String> {
    let secrets = aws_sdk_secretsmanager::Client::new(aws);
    if let Ok(found) = secrets.describe_secret().secret_id(name).send().await {
        let arn = found.arn.unwrap_or_default();
        return Ok(json!({ "arn": arn, "name": name, "created": false }).to_string());
    }
    let value = match std::env::var("CODE_PEPPER").ok().filter(|v| !v.is_empty()) {
        Some(given) => {
            decode_pepper(&given).map_err(|rule| format!("CODE_PEPPER: {rule}"))?;
            given
        }
        None => random_hex(MIN_PEPPER_BYTES),
    };
    let created = secrets
        .create_secret()
        .name(name)
        .description("rax-mfa: HMAC key of PINs, passcodes and bypass codes")
        .secret_string(value)
        .send()
        .await
        .map_err(|e| aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string())?;
    let arn = created.arn.ok_or("Secrets Manager returned no ARN")?;
    Ok(json!({ "arn": arn, "name": name, "created": true }).to_string())
}

async fn create_user(store: &DynamoStore, new: NewUser) -> Result<String, String> {
    let roles = validate_roles(&new.roles, new.domain.as_deref())?;
    let mut user = User::new(
        &random_hex(16),
        &new.username,
        new.domain.as_deref(),
        roles,
        hash_password(&new.password),
        now_ms(),
    );
    user.enabled = !new.disabled;
    user.email = new.email;
    user.default_region = new.default_region;
    store.create_user(&user).await.map_err(|e| match e {
        CreateUserError::DuplicateUsername => {
            format!("username '{}' is already taken", user.username)
        }
        CreateUserError::DomainIdTaken => format!(
            "domain '{}' would be new, but another domain has a tenant with that id",
            user.domain_id.as_deref().unwrap_or_default()
        ),
        CreateUserError::Store(e) => e.to_string(),
    })?;
    Ok(json!({
        "id": user.id,
        "username": user.username,
        "domainId": user.domain_id,
        "roles": user.roles,
        "enabled": user.enabled,
    })
    .to_string())
}

/// Exactly one identity role (user-managers also get `identity:default`, DECISIONS.md 11);
/// only service-admins and admins may lack a domain.
fn validate_roles(names: &[String], domain: Option<&str>) -> Result<Vec<String>, String> {
    let validates = names.iter().any(|n| n == VALIDATE_TOKEN);
    let mut roles = Vec::new();
    for name in names.iter().filter(|n| *n != VALIDATE_TOKEN) {
        let role = IdentityRole::from_name(name).ok_or_else(|| format!("unknown role '{name}'"))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.contains(&IdentityRole::UserManage) && !roles.contains(&IdentityRole::Default) {
        roles.push(IdentityRole::Default);
    }
    let identity: Vec<_> = roles
        .iter()
        .filter(|r| **r != IdentityRole::Default)
        .collect();
    let role = match identity.as_slice() {
        [] if roles.is_empty() => return Err("at least one --role is required".into()),
        [] => IdentityRole::Default,
        [one] => **one,
        _ => return Err("a user holds exactly one identity role".into()),
    };
    if role != IdentityRole::UserManage && roles.len() > 1 {
        return Err("a user holds exactly one identity role".into());
    }
    if role.is_domain_based() && domain.is_none() {
        return Err(format!("--domain is required for {}", role.name()));
    }
    let mut names: Vec<String> = roles.iter().map(|r| r.name().to_owned()).collect();
    if validates {
        names.push(VALIDATE_TOKEN.to_owned());
    }
    Ok(names)
}

async fn user_id(store: &DynamoStore, username: &str) -> Result<String, String> {
    store
        .find_user_id(username)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user named '{username}'"))
}

async fn set_enabled(store: &DynamoStore, username: &str, enabled: bool) -> Result<String, String> {
    let id = user_id(store, username).await?;
    if !store
        .set_user_enabled(&id, enabled)
        .await
        .map_err(|e| e.to_string())?
    {
        return Err(format!("no user named '{username}'"));
    }
    Ok(json!({ "id": id, "username": username, "enabled": enabled }).to_string())
}

async fn show_user(store: &DynamoStore, username: &str) -> Result<String, String> {
    let id = user_id(store, username).await?;
    let account = store
        .load_account(&id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user named '{username}'"))?;
    let phone = account
        .phone
        .as_ref()
        .map(|p| mfa_shared::views::mobile_phone(p, true));
    Ok(json!({
        "user": mfa_shared::views::user(&account.user, false),
        "mobilePhone": phone,
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn user_managers_also_hold_the_default_role() {
        assert_eq!(
            validate_roles(&names(&["identity:user-manage"]), Some("d")).unwrap(),
            names(&["identity:user-manage", "identity:default"])
        );
    }

    #[test]
    fn unknown_duplicate_and_conflicting_roles_are_refused() {
        assert!(validate_roles(&names(&["identity:root"]), Some("d"))
            .unwrap_err()
            .contains("unknown role"));
        assert!(validate_roles(
            &names(&["identity:admin", "identity:user-admin"]),
            Some("d")
        )
        .is_err());
        assert!(validate_roles(
            &names(&["identity:user-admin", "identity:default"]),
            Some("d")
        )
        .is_err());
        assert!(validate_roles(&[], Some("d")).is_err());
    }

    #[test]
    fn only_admins_may_lack_a_domain() {
        assert!(validate_roles(&names(&["identity:admin"]), None).is_ok());
        assert!(validate_roles(&names(&["identity:service-admin"]), None).is_ok());
        assert!(validate_roles(&names(&["identity:default"]), None)
            .unwrap_err()
            .contains("--domain"));
    }
}
