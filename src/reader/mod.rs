//! A reader's own project: the cargo project they type the chapter into.
//! [`Project::open`] reads one from its folder; [`detect`] finds the step
//! it is at; [`scaffold`] writes one at a step (the tour's `start`).

pub mod detect;
pub mod scaffold;

use std::path::{Path, PathBuf};

use crate::compile::{self, BuildReport};
use crate::{Error, Result};

/// A reader's project, as read from its folder.
#[derive(Clone, Debug)]
pub struct Project {
    /// Its folder (where its `Cargo.toml` is), made absolute.
    pub dir: PathBuf,
    /// The package's name in `Cargo.toml` (its library is `use`d by it,
    /// with `-` as `_`).
    pub package: String,
    /// The package's edition (cargo's default, 2015, where it names none).
    pub edition: String,
    /// `src/main.rs`.
    pub main: String,
    /// `src/lib.rs`, if there is one.
    pub lib: Option<String>,
    /// Its build, once made (a project read once is built once).
    built: std::sync::OnceLock<BuildReport>,
}

impl Project {
    /// Read the project in `path`, or say in one sentence why `path` is not
    /// one. Its manifest is read by cargo (`cargo metadata`), as its build
    /// reads it: workspace inheritance, quoting and defaults included.
    pub fn open(path: &Path) -> Result<Project> {
        if !path.is_dir() {
            return Err(Error::NotAFolder(path.to_path_buf()));
        }
        if !path.join("Cargo.toml").is_file() {
            return Err(Error::NoManifest(path.to_path_buf()));
        }
        let dir = path.canonicalize().map_err(Error::read(path))?;
        let (package, edition) = package_of(&dir)?;
        let main = std::fs::read_to_string(dir.join("src/main.rs"))
            .map_err(|_| Error::NoMain(dir.clone()))?;
        let lib = match std::fs::read_to_string(dir.join("src/lib.rs")) {
            Ok(lib) => Some(lib),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::read(dir.join("src/lib.rs"))(e)),
        };
        Ok(Project {
            dir,
            package,
            edition,
            main,
            lib,
            built: std::sync::OnceLock::new(),
        })
    }

    /// A project of these sources, not read from a folder (for the tests
    /// of what is made of its code).
    #[cfg(test)]
    pub(crate) fn of_sources(
        package: &str,
        edition: &str,
        main: String,
        lib: Option<String>,
    ) -> Project {
        Project {
            dir: PathBuf::new(),
            package: package.to_string(),
            edition: edition.to_string(),
            main,
            lib,
            built: std::sync::OnceLock::new(),
        }
    }

    /// Build it (in its own target directory), as `cargo build` does: once
    /// for the files as they were read.
    pub fn build(&self) -> Result<&BuildReport> {
        if let Some(built) = self.built.get() {
            return Ok(built);
        }
        let built = compile::build_project(&self.dir)?;
        Ok(self.built.get_or_init(|| built))
    }

    /// The contents of a file of its folder (a page: `hello.html`), if it
    /// is there.
    pub fn file(&self, rel: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join(rel)).ok()
    }

    /// The program to run from its build: its one binary, or the one named
    /// after its folder.
    pub fn executable(&self, built: &BuildReport) -> Result<PathBuf> {
        match built.executables.as_slice() {
            [] => Err(Error::NoBinary(self.dir.clone())),
            [(_, exe)] => Ok(exe.clone()),
            many => many
                .iter()
                .find(|(name, _)| {
                    Some(name.as_str()) == self.dir.file_name().and_then(|n| n.to_str())
                })
                .map(|(_, exe)| exe.clone())
                .ok_or_else(|| Error::SeveralBinaries(self.dir.clone())),
        }
    }
}

/// The reader's own files in the project in `dir`, each with its metadata:
/// every file below it but the build's (`target/`, `.git`, `Cargo.lock`;
/// see [`crate::watch::matters`]), in no particular order.
pub(crate) fn own_files(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(at) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !crate::watch::matters(dir, &path) {
                continue;
            }
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => dirs.push(path),
                Ok(meta) => files.push((path, meta)),
                Err(_) => {}
            }
        }
    }
    files
}

/// The name and edition of the package whose manifest is in `dir`: as
/// its `[package]` table says them plainly, or else as cargo reads it.
fn package_of(dir: &Path) -> Result<(String, String)> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))
        .map_err(Error::read(dir.join("Cargo.toml")))?;
    match plain_package(&manifest) {
        Some(plain) => Ok(plain),
        None => package_by_cargo(dir),
    }
}

/// The name and edition where `[package]` gives both as plain strings on
/// lines of their own (`name = "hello"`, `edition = "2024"`), as `cargo
/// new` writes them: most readers' manifests, read without starting cargo
/// (a check does it on every save). Anything else (a value inherited from
/// a workspace, no edition, an escape in a string) is left to cargo.
fn plain_package(manifest: &str) -> Option<(String, String)> {
    let (mut name, mut edition) = (None, None);
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once('=')?;
        let slot = match key.trim() {
            "name" => &mut name,
            "edition" => &mut edition,
            key if key.starts_with("name") || key.starts_with("edition") => return None,
            _ => continue,
        };
        let value = value.trim();
        let value = value.strip_prefix('"')?;
        let (text, rest) = value.split_once('"')?;
        let rest = rest.trim();
        if text.contains('\\') || !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
        *slot = Some(text.to_string());
    }
    Some((name?, edition?))
}

/// [`package_of`], as `cargo metadata` reads the manifest: workspace
/// inheritance, quoting and defaults included.
fn package_by_cargo(dir: &Path) -> Result<(String, String)> {
    let metadata = cargo_metadata::MetadataCommand::new()
        .cargo_path(compile::cargo().get_program())
        .manifest_path(dir.join("Cargo.toml"))
        .current_dir(dir)
        .no_deps()
        .exec()
        .map_err(|e| Error::Cargo {
            what: format!("your project at {}", dir.display()),
            cargo_says: match e {
                cargo_metadata::Error::CargoMetadata { stderr } => {
                    stderr.trim().trim_start_matches("error: ").to_string()
                }
                other => other.to_string(),
            },
        })?;
    let manifest = dir.join("Cargo.toml");
    let package = metadata
        .packages
        .iter()
        .find(|p| p.manifest_path.as_std_path() == manifest)
        .or_else(|| metadata.packages.first())
        .ok_or_else(|| Error::Cargo {
            what: format!("your project at {}", dir.display()),
            cargo_says: "its Cargo.toml has no [package]".into(),
        })?;
    Ok((package.name.to_string(), package.edition.to_string()))
}

#[cfg(test)]
mod tests {
    use super::plain_package;

    #[test]
    fn a_plain_manifest_is_read_without_cargo_and_anything_else_is_left_to_it() {
        let new = "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";
        assert_eq!(plain_package(new), Some(("hello".into(), "2024".into())));
        let commented = "# mine\n[package]\nname = \"my-server\" # the name\nedition = \"2021\"\n";
        assert_eq!(
            plain_package(commented),
            Some(("my-server".into(), "2021".into()))
        );
        // Left to cargo: inherited, missing (cargo's default), in another
        // table, or not a plain string.
        for manifest in [
            "[package]\nname = \"a\"\nedition.workspace = true\n",
            "[package]\nname = \"a\"\nedition = { workspace = true }\n",
            "[package]\nname = \"a\"\n",
            "[package.metadata]\nname = \"a\"\nedition = \"2021\"\n",
            "[package]\nname = \"a\\u0041\"\nedition = \"2021\"\n",
            "[package]\nname = 'a'\nedition = \"2021\"\n",
        ] {
            assert_eq!(plain_package(manifest), None, "{manifest}");
        }
        // A table after [package] does not count.
        assert_eq!(
            plain_package("[package]\nname = \"a\"\nedition = \"2021\"\n[lib]\nname = \"b\"\n"),
            Some(("a".into(), "2021".into()))
        );
    }
}
