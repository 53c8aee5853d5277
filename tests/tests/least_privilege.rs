//! Least privilege, held to what the functions actually did. Every AWS call a function makes is
//! logged with the IAM actions it needs (mfa_shared::aws_calls); after the whole run (tests,
//! README walk-through, fuzzing) this compares them with each function's policy in
//! template.yaml: nothing used may be missing (it would fail in AWS), nothing granted may be
//! unused (it would be privilege no code needs). scripts/test.sh runs it last, with LOG_DIR.

use integration_tests::template::{actions, allow_statements, functions, template};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

type ActionsByFunction = BTreeMap<String, BTreeSet<String>>;

/// The IAM actions each function's calls needed, from every gateway's log.
fn observed_actions(log_dir: &str) -> ActionsByFunction {
    let mut seen = ActionsByFunction::new();
    for entry in std::fs::read_dir(log_dir).expect("LOG_DIR") {
        let path = entry.expect("log entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("log") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("log file");
        for line in text.lines() {
            // "[binary] {json}" from local-api; other lines are its own.
            let Some((_, json)) = line.split_once("] {") else {
                continue;
            };
            let Ok(event) = serde_json::from_str::<Value>(&format!("{{{json}")) else {
                continue;
            };
            if event["fields"]["message"] != "aws call" {
                continue;
            }
            let function = event["span"]["operation"]
                .as_str()
                .expect("an AWS call inside a request span")
                .to_owned();
            let iam = event["fields"]["iam"].as_str().expect("iam field");
            seen.entry(function)
                .or_default()
                .extend(iam.split_whitespace().map(str::to_owned));
        }
    }
    seen
}

fn granted_actions(template: &serde_yaml::Value) -> ActionsByFunction {
    functions(template)
        .into_iter()
        .map(|(binary, function)| {
            let granted = allow_statements(function)
                .into_iter()
                .flat_map(actions)
                .collect();
            (binary, granted)
        })
        .collect()
}

#[test]
#[ignore = "scripts/test.sh runs it after everything else, over the logs of the whole run"]
fn every_function_is_granted_exactly_the_aws_actions_it_uses() {
    let log_dir = std::env::var("LOG_DIR").expect("LOG_DIR (set by scripts/test.sh)");
    let seen = observed_actions(&log_dir);
    assert!(
        seen.values().map(BTreeSet::len).sum::<usize>() > 0,
        "no AWS call was logged: is LOG_LEVEL missing aws_call=debug?"
    );
    let granted = granted_actions(&template());
    let mut problems = Vec::new();
    for function in seen.keys() {
        if !granted.contains_key(function) {
            problems.push(format!(
                "{function}: logged calls but is not in the template"
            ));
        }
    }
    for (function, allowed) in &granted {
        let used = seen.get(function).cloned().unwrap_or_default();
        for missing in used.difference(allowed) {
            problems.push(format!("{function}: uses {missing}, which is not granted"));
        }
        for unused in allowed.difference(&used) {
            problems.push(format!(
                "{function}: is granted {unused}, which it never used"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn no_arn_names_a_partition_of_its_own() {
    // aws-cn and aws-us-gov stacks need ${AWS::Partition}, not a literal `arn:aws:`.
    let path = integration_tests::template::workspace_root().join("template.yaml");
    let text = std::fs::read_to_string(path).expect("template.yaml");
    let literal: Vec<&str> = text.lines().filter(|l| l.contains("arn:aws:")).collect();
    assert!(literal.is_empty(), "{literal:#?}");
}

#[test]
fn no_statement_grants_every_resource() {
    // Resources are the table, the KMS key, the pepper's secret; SNS publishes to phone numbers
    // only (NotResource: every topic ARN).
    for (binary, function) in functions(&template()) {
        for statement in allow_statements(function) {
            let everything = statement["Resource"].as_str() == Some("*")
                || actions(statement).iter().any(|a| a.ends_with(":*"));
            assert!(!everything, "{binary}: {statement:?}");
            if actions(statement).iter().any(|a| a.starts_with("sns:")) {
                let not_resource = match &statement["NotResource"] {
                    serde_yaml::Value::Tagged(sub) if sub.tag == "Sub" => sub.value.as_str(),
                    _ => None,
                };
                assert_eq!(
                    not_resource,
                    Some("arn:${AWS::Partition}:sns:*:*:*"),
                    "{binary}: SNS only to phone numbers, in the stack's partition"
                );
            }
        }
    }
}
