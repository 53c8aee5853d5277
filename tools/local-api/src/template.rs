//! Routes and functions read from `template.yaml` (CloudFormation short-form tags such as
//! `!Ref` are accepted and ignored: only plain strings are read here).

use serde_yaml::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRoute {
    pub method: String,
    pub path: String,
    pub function: String,
}

#[derive(Debug, Default)]
pub struct Template {
    /// Logical function id -> binary name.
    pub functions: BTreeMap<String, String>,
    pub routes: Vec<TemplateRoute>,
    /// The function of the `$default` route (an HttpApi event without Path and Method).
    pub default_function: Option<String>,
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    untag(v).as_mapping()?.get(key).map(untag)
}

fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => &t.value,
        other => other,
    }
}

fn string(v: &Value, key: &str) -> Option<String> {
    get(v, key)?.as_str().map(str::to_owned)
}

pub fn parse(text: &str) -> Result<Template, String> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| format!("template.yaml: {e}"))?;
    let resources = get(&doc, "Resources")
        .and_then(Value::as_mapping)
        .ok_or("template.yaml has no Resources")?;
    let mut template = Template::default();
    for (name, resource) in resources {
        let name = name.as_str().unwrap_or_default().to_owned();
        if string(resource, "Type").as_deref() != Some("AWS::Serverless::Function") {
            continue;
        }
        let binary = get(resource, "Metadata")
            .and_then(|m| get(m, "BuildProperties"))
            .and_then(|b| string(b, "Binary"))
            .ok_or_else(|| format!("function {name} has no Metadata.BuildProperties.Binary"))?;
        template.functions.insert(name.clone(), binary.clone());
        let events = get(resource, "Properties")
            .and_then(|p| get(p, "Events"))
            .and_then(Value::as_mapping);
        for event in events.into_iter().flat_map(|m| m.values()) {
            if string(event, "Type").as_deref() != Some("HttpApi") {
                continue;
            }
            let props = get(event, "Properties");
            let path = props.and_then(|p| string(p, "Path"));
            let method = props.and_then(|p| string(p, "Method"));
            match (path, method) {
                (None, None) => {
                    if template.default_function.replace(binary.clone()).is_some() {
                        return Err("more than one $default route".into());
                    }
                }
                (Some(path), Some(method)) => template.routes.push(TemplateRoute {
                    method: method.to_uppercase(),
                    path,
                    function: binary.clone(),
                }),
                _ => {
                    return Err(format!(
                        "function {name}: HttpApi event needs both Path and Method"
                    ))
                }
            }
        }
    }
    Ok(template)
}

impl Template {
    /// The route for a request: method and path must match; the most specific template wins.
    pub fn route(
        &self,
        method: &str,
        path: &str,
    ) -> Option<(&TemplateRoute, Vec<(String, String)>)> {
        self.routes
            .iter()
            .filter(|r| r.method == method || r.method == "ANY")
            .filter_map(|r| mfa_shared::routes::match_path(&r.path, path).map(|p| (r, p)))
            .max_by_key(|(r, _)| mfa_shared::routes::specificity(&r.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Fallback:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: rust-cargolambda, BuildProperties: { Binary: not-found } }
    Properties:
      Events:
        Default: { Type: HttpApi }
  Get:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: rust-cargolambda, BuildProperties: { Binary: get-thing } }
    Properties:
      Role: !GetAtt Role.Arn
      Events:
        A: { Type: HttpApi, Properties: { Method: get, Path: "/things/{id}" } }
        B: { Type: HttpApi, Properties: { Method: GET, Path: "/things/special" } }
"#;

    #[test]
    fn functions_routes_and_the_default_route_are_read_despite_short_form_tags() {
        let t = parse(SAMPLE).unwrap();
        assert_eq!(t.functions.len(), 2);
        assert_eq!(t.default_function.as_deref(), Some("not-found"));
        assert_eq!(t.routes.len(), 2);
        let (r, params) = t.route("GET", "/things/42").unwrap();
        assert_eq!(r.path, "/things/{id}");
        assert_eq!(params, vec![("id".to_owned(), "42".to_owned())]);
        assert_eq!(
            t.route("GET", "/things/special").unwrap().0.path,
            "/things/special"
        );
        assert!(t.route("POST", "/things/42").is_none());
    }
}
