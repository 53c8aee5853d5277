//! The template, the route table and the function crates say the same thing
//! (runs without the stack).

use integration_tests::template::{functions, template, workspace_root as root};
use mfa_shared::routes::ROUTES;
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

/// What the template declares.
struct TemplateFunctions {
    /// (method, path, binary) of every HttpApi event with a path.
    routes: BTreeSet<(String, String, String)>,
    binaries: BTreeSet<String>,
    /// The binary of the `$default` route.
    default: Option<String>,
}

fn template_routes() -> TemplateFunctions {
    let doc = template();
    let mut t = TemplateFunctions {
        routes: BTreeSet::new(),
        binaries: BTreeSet::new(),
        default: None,
    };
    for (binary, r) in functions(&doc) {
        t.binaries.insert(binary.clone());
        for (_, e) in r["Properties"]["Events"].as_mapping().into_iter().flatten() {
            match (
                e["Properties"]["Method"].as_str(),
                e["Properties"]["Path"].as_str(),
            ) {
                (Some(m), Some(p)) => {
                    t.routes
                        .insert((m.to_uppercase(), p.to_owned(), binary.clone()));
                }
                _ => t.default = Some(binary.clone()),
            }
        }
    }
    t
}

#[test]
fn the_template_routes_are_exactly_the_shared_route_table() {
    let TemplateFunctions {
        routes, default, ..
    } = template_routes();
    let table: BTreeSet<_> = ROUTES
        .iter()
        .map(|r| {
            (
                r.method.to_owned(),
                r.path.to_owned(),
                r.function.to_owned(),
            )
        })
        .collect();
    assert_eq!(routes, table);
    assert_eq!(default.as_deref(), Some("not-found"));
}

#[test]
fn every_function_crate_has_a_route_and_every_route_a_function_crate() {
    let TemplateFunctions {
        routes, binaries, ..
    } = template_routes();
    let crates: BTreeSet<String> = std::fs::read_dir(root().join("functions"))
        .expect("functions/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(binaries, crates, "template functions vs functions/ crates");
    for (_, _, binary) in &routes {
        assert!(
            crates.contains(binary),
            "route served by {binary}, which has no crate"
        );
    }
    for c in &crates {
        assert!(
            c == "not-found" || routes.iter().any(|(_, _, b)| b == c),
            "function crate {c} has no route"
        );
    }
}

#[test]
fn the_openapi_contract_has_exactly_the_templates_routes() {
    let TemplateFunctions { routes, .. } = template_routes();
    let text = std::fs::read_to_string(root().join("openapi.yaml")).expect("openapi.yaml");
    let doc: Value = serde_yaml::from_str(&text).expect("openapi.yaml parses");
    let mut contract = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().expect("paths") {
        for (method, _) in item.as_mapping().expect("path item") {
            let method = method.as_str().unwrap_or_default();
            if ["get", "head", "put", "post", "delete", "patch"].contains(&method) {
                contract.insert((
                    method.to_uppercase(),
                    path.as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    let template: BTreeSet<_> = routes.into_iter().map(|(m, p, _)| (m, p)).collect();
    assert_eq!(contract, template);
}

#[test]
fn every_function_has_an_event_fixture_for_its_route() {
    // events/<binary>.json: what `sam local invoke -e` and `local-api invoke` feed the function.
    let TemplateFunctions {
        routes, binaries, ..
    } = template_routes();
    for binary in &binaries {
        let path = root().join("events").join(format!("{binary}.json"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("no fixture {}", path.display()));
        let request = lambda_http::request::from_str(&text)
            .unwrap_or_else(|e| panic!("{binary}: not an API Gateway event: {e}"));
        let method = request.method().as_str().to_owned();
        let uri_path = request.uri().path().to_owned();
        let served = routes.iter().any(|(m, p, b)| {
            b == binary && *m == method && mfa_shared::routes::match_path(p, &uri_path).is_some()
        });
        assert!(
            served || binary == "not-found",
            "{binary}: {method} {uri_path} is not its route"
        );
    }
    let fixtures = std::fs::read_dir(root().join("events"))
        .expect("events/")
        .count();
    assert_eq!(
        fixtures,
        binaries.len(),
        "one fixture per function, no strays"
    );
}

#[test]
fn the_pipeline_runs_the_readme_targets_and_deploys_the_samconfig_environments() {
    let text = std::fs::read_to_string(root().join(".github/workflows/pipeline.yml"))
        .expect("the GitHub Actions workflow");
    let workflow: Value = serde_yaml::from_str(&text).expect("the workflow parses");
    let runs: Vec<String> = workflow["jobs"]
        .as_mapping()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_sequence().expect("steps").iter())
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect();
    let samconfig = std::fs::read_to_string(root().join("samconfig.toml")).expect("samconfig");
    let makefile = std::fs::read_to_string(root().join("Makefile")).expect("Makefile");
    for target in ["lint", "test", "build-lambda"] {
        assert!(
            runs.iter().any(|r| r.contains(&format!("make {target}"))),
            "the pipeline runs make {target}"
        );
        assert!(
            makefile.contains(&format!("\n{target}:")),
            "Makefile has {target}"
        );
    }
    // dev deploys directly; prod's change sets are made, shown, approved, then executed.
    for (env, command) in [
        ("dev-data", "sam deploy --config-env dev-data"),
        ("dev", "sam deploy --config-env dev "),
        ("prod-data", "scripts/change-set.sh prod-data"),
        ("prod", "scripts/change-set.sh prod "),
    ] {
        assert!(
            runs.iter().any(|r| r.contains(command)),
            "the pipeline deploys {env} ({command})"
        );
        let header = format!("[{env}.deploy.parameters]");
        let section = samconfig
            .split(&header)
            .nth(1)
            .unwrap_or_else(|| panic!("samconfig.toml defines {env}"));
        let section = section.split("\n[").next().unwrap_or_default();
        assert!(
            section.contains("\nregion = \""),
            "samconfig.toml gives {env} a region"
        );
    }
    assert!(
        runs.iter()
            .any(|r| r.contains("scripts/execute-change-set.sh")),
        "the pipeline executes the reviewed change sets"
    );
    assert!(
        !runs
            .iter()
            .any(|r| r.contains("sam deploy --config-env prod")),
        "prod is deployed only through its reviewed change sets"
    );
}

#[test]
fn every_template_parameter_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let data: Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join("data.yaml")).expect("data.yaml"),
    )
    .expect("data.yaml parses");
    let template = template();
    let parameters = template["Parameters"].as_mapping().expect("Parameters");
    let data_parameters = data["Parameters"]
        .as_mapping()
        .expect("data.yaml's Parameters");
    for (name, _) in parameters.iter().chain(data_parameters) {
        let name = name.as_str().expect("parameter name");
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "README's parameter table lacks {name}"
        );
    }
}

#[test]
fn every_functions_memory_is_the_size_bench_memory_chose() {
    // bench/memory.md (make bench-memory) measures each function under the CPU share of each
    // memory size and chooses one; template.yaml must deploy exactly that.
    let table = std::fs::read_to_string(root().join("bench/memory.md")).expect("bench/memory.md");
    let chosen: BTreeMap<String, u64> = table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let size = cells.last()?.parse().ok()?;
            (cells.len() == 7).then(|| (cells[0].to_owned(), size))
        })
        .collect();
    let template = template();
    let default = template["Globals"]["Function"]["MemorySize"].as_u64();
    let deployed: BTreeMap<String, u64> = functions(&template)
        .into_iter()
        .map(|(binary, function)| {
            let size = function["Properties"]["MemorySize"].as_u64().or(default);
            (binary, size.expect("a MemorySize"))
        })
        .collect();
    assert_eq!(deployed, chosen);
}
