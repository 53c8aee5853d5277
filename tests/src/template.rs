//! template.yaml as data, for the tests that hold it to the code (layout, least privilege).

use serde_yaml::Value;
use std::path::Path;

pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

pub fn template() -> Value {
    let text =
        std::fs::read_to_string(workspace_root().join("template.yaml")).expect("template.yaml");
    serde_yaml::from_str(&text).expect("template parses (short-form tags included)")
}

/// Every `AWS::Serverless::Function` of the template, as (binary name, resource).
pub fn functions(template: &Value) -> Vec<(String, &Value)> {
    template["Resources"]
        .as_mapping()
        .expect("Resources")
        .values()
        .filter(|r| r["Type"].as_str() == Some("AWS::Serverless::Function"))
        .map(|r| {
            let binary = r["Metadata"]["BuildProperties"]["Binary"]
                .as_str()
                .expect("Binary");
            (binary.to_owned(), r)
        })
        .collect()
}

/// The `Allow` statements of a function's inline policies.
pub fn allow_statements(function: &Value) -> Vec<&Value> {
    function["Properties"]["Policies"]
        .as_sequence()
        .into_iter()
        .flatten()
        .flat_map(|policy| policy["Statement"].as_sequence().into_iter().flatten())
        .filter(|s| s["Effect"].as_str() == Some("Allow"))
        .collect()
}

/// A statement's `Action`, whether one string or a list.
pub fn actions(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::String(one) => vec![one.clone()],
        Value::Sequence(many) => many
            .iter()
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}
