//! The build-time half of `zoom-chat-reports`: Postman collection → OpenAPI →
//! Rust client.
//!
//! `build.rs` of the SDK calls [`build`] and nothing else; the tests call the
//! same function, so what is tested is what ships. The steps, each its own module:
//! 1. [`postman`] reads a v2.0 or v2.1 collection into a flat list of requests.
//! 2. [`convert`] turns those into an OpenAPI 3.0 document, inferring
//!    parameter and body schemas from the examples ([`infer`]).
//! 3. [`shared`] hoists named inline schemas into shared components.
//! 4. [`corrections`] applies the reviewed JSON Patches in `spec/`.
//! 5. [`generate`] runs progenitor and pretty-prints the result.

pub mod convert;
pub mod corrections;
pub mod error;
pub mod extract;
pub mod generate;
pub mod infer;
pub mod postman;
pub mod shared;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

pub use convert::{ConvertOptions, Selection};
pub use error::{Error, Result};
pub use generate::GenerateOptions;

/// The codegen config, `spec/codegen.json`. Paths are relative to the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The Postman collection to convert.
    pub collection: PathBuf,
    /// `"all"`, or a list of `METHOD /path/{param}` keys.
    pub operations: OperationsConfig,
    /// Pinned operation names, by `METHOD /path` key. Pinning keeps the Rust
    /// API stable when Zoom renames items or changes its own operation ids.
    #[serde(default)]
    pub operation_names: BTreeMap<String, String>,
    /// Inline schemas to name and share, see [`shared`].
    #[serde(default)]
    pub shared_schemas: BTreeMap<String, Vec<shared::SchemaLocation>>,
    /// The corrections file, see [`corrections`].
    #[serde(default)]
    pub corrections: Option<PathBuf>,
    /// Generated types whose `Debug` prints only these Rust fields.
    #[serde(default)]
    pub redacted_debug: BTreeMap<String, Vec<String>>,
}

/// The `operations` entry of the config.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OperationsConfig {
    /// `"all"`.
    All(AllKeyword),
    /// An explicit list.
    Only(Vec<String>),
}

/// The literal string `"all"`.
#[derive(Debug, Clone, Deserialize)]
pub enum AllKeyword {
    /// `"all"`.
    #[serde(rename = "all")]
    All,
}

/// Everything one run of the pipeline produces.
#[derive(Debug, Clone)]
pub struct Build {
    /// The converted and corrected OpenAPI document.
    pub openapi: Value,
    /// The generated Rust source.
    pub rust: String,
    /// Every file the build read, for `cargo::rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// Warnings for the maintainer.
    pub warnings: Vec<String>,
}

impl Build {
    /// The OpenAPI document as the pretty JSON that is snapshotted in `spec/`.
    pub fn openapi_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.openapi).expect("a JSON value always serializes");
        text.push('\n');
        text
    }
}

/// The generation options of the `zoom-chat-reports` crate itself: its
/// `build.rs` and the snapshot test both use these, so the snapshot is exactly what ships.
pub fn sdk_generate_options() -> GenerateOptions {
    GenerateOptions {
        inner_type: Some("crate::transport::Transport".into()),
        ..GenerateOptions::default()
    }
}

/// Runs the whole pipeline from a config file.
pub fn build(config_path: &Path, options: &GenerateOptions) -> Result<Build> {
    let config_name = config_path.display().to_string();
    let config_text = read(config_path)?;
    let config: Config = serde_json::from_str(&config_text)
        .map_err(|e| Error::file(&config_name, format!("not a valid codegen config: {e}")))?;
    let base = config_path.parent().unwrap_or(Path::new("."));

    let collection_path = base.join(&config.collection);
    let collection_name = collection_path.display().to_string();
    let collection = postman::parse_collection(&read(&collection_path)?, &collection_name)?;
    let selection = match config.operations {
        OperationsConfig::All(_) => Selection::All,
        OperationsConfig::Only(list) => Selection::Only(list),
    };
    let convert_options = ConvertOptions {
        selection,
        operation_names: config.operation_names,
    };
    let convert::Conversion {
        mut document,
        mut warnings,
    } = convert::convert(&collection, &collection_name, &convert_options)?;
    shared::hoist_shared_schemas(&mut document, &config.shared_schemas, &config_name, &mut warnings)?;

    let mut inputs = vec![config_path.to_path_buf(), collection_path];
    if let Some(corrections) = &config.corrections {
        let path = base.join(corrections);
        let name = path.display().to_string();
        let list = corrections::parse_corrections(&read(&path)?, &name)?;
        corrections::apply_corrections(&mut document, &list, &name, &mut warnings)?;
        inputs.push(path);
    }

    let mut options = options.clone();
    options.redacted_debug.extend(config.redacted_debug);
    let rust = generate::generate_rust(&document, &options, &collection_name, &mut warnings)?;
    Ok(Build {
        openapi: document,
        rust,
        inputs,
        warnings,
    })
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::file(path.display().to_string(), format!("cannot be read: {e}")))
}
