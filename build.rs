//! Generates the Zoom client from the Postman collection in `spec/`.
//! All the work is in the `zoom-chat-reports-codegen` crate, which the tests call too.

use std::path::{Path, PathBuf};

use zoom_chat_reports_codegen::{build, sdk_generate_options};

/// Points the build at another codegen config, for example a whole Zoom export.
const CONFIG_ENV: &str = "ZOOM_CHAT_REPORTS_CODEGEN_CONFIG";

fn main() {
    println!("cargo::rerun-if-env-changed={CONFIG_ENV}");
    let config = std::env::var_os(CONFIG_ENV).map_or_else(|| PathBuf::from("spec/codegen.json"), PathBuf::from);
    // Always watch the config; the collection and corrections it names come back in `inputs`.
    println!("cargo::rerun-if-changed={}", config.display());
    match build(&config, &sdk_generate_options()) {
        Ok(output) => {
            // Only the files the pipeline read: spec/snapshots/ is written by tests and must not trigger a rebuild.
            for input in &output.inputs {
                println!("cargo::rerun-if-changed={}", input.display());
            }
            for warning in &output.warnings {
                println!("cargo::warning={warning}");
            }
            let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
            write(&out_dir.join("zoom_client.rs"), &output.rust);
        }
        // One clear line naming the file, the item and the problem; no backtrace.
        Err(e) => println!("cargo::error={e}"),
    }
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        println!("cargo::error=cannot write {}: {e}", path.display());
    }
}
