//! Generates the Zoom client from the Postman collection in `spec/`.
//! All the work is in the `zoom-chat-reports-codegen` crate, which the tests call too.

use std::path::{Path, PathBuf};

use zoom_chat_reports_codegen::{build, sdk_generate_options};

/// Points the build at another codegen config, for example a whole Zoom export.
/// A maintainers' tool: honoured only in this crate's own repository, so a
/// stray variable in a user's environment can never change the API of the
/// crate they depend on.
const CONFIG_ENV: &str = "ZOOM_CHAT_REPORTS_CODEGEN_CONFIG";

fn main() {
    let config = match std::env::var_os(CONFIG_ENV) {
        Some(path) if in_own_repository() => {
            println!("cargo::rerun-if-env-changed={CONFIG_ENV}");
            PathBuf::from(path)
        }
        _ => PathBuf::from("spec/codegen.json"),
    };
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

/// The repository has the converter's sources beside the crate; the packaged
/// crate, as users get it from crates.io, does not.
fn in_own_repository() -> bool {
    Path::new("codegen/Cargo.toml").is_file()
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        println!("cargo::error=cannot write {}: {e}", path.display());
    }
}
