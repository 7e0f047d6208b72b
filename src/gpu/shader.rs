//! WGSL sources and the small preprocessor that lets one source serve every variant of a kernel.
//!
//! A kernel's source may contain, each on a line of its own:
//! - `#include "prelude.wgsl"`: the helpers every kernel shares (shaders/prelude.wgsl: the
//!   invocation index of the 2-D workgroup grid, the dropout hash);
//! - `#ifdef NAME`, `#ifndef NAME`, `#else`, `#endif`: lines kept or dropped by whether the define
//!   NAME is set for this pipeline (blocks nest).
//!
//! The defines a source understands are listed in its [`Shader`], so that a misspelt define is an
//! error and tests can validate every combination (tests/shaders.rs). Dropped lines become empty
//! lines, so WGSL errors keep the source's line numbers (below an include, they shift by the
//! included file's length).
//!
//! Uniform structs are declared with [`uniform_struct!`](crate::uniform_struct): it records each
//! field's name and offset, so tests compare the Rust and WGSL structs field by field.

/// One WGSL file, embedded in the binary, and the defines its `#ifdef`s read.
pub struct Shader {
    pub name: &'static str,
    pub source: &'static str,
    pub defines: &'static [&'static str],
}

/// The helpers shared by every kernel (`#include "prelude.wgsl"`).
pub static PRELUDE: Shader =
    Shader { name: "prelude.wgsl", source: include_str!("../../shaders/prelude.wgsl"), defines: &[] };

/// Files a source may `#include`.
pub static INCLUDES: [&Shader; 1] = [&PRELUDE];

/// The WGSL text of `shader` with `defines` set: includes spliced in, `#ifdef` blocks resolved.
pub fn preprocess(shader: &Shader, defines: &[&str]) -> Result<String, String> {
    if let Some(unknown) = defines.iter().find(|d| !shader.defines.contains(d)) {
        return Err(format!(
            "{}: unknown define '{unknown}' (the source reads {:?})",
            shader.name, shader.defines
        ));
    }
    let mut out = String::with_capacity(shader.source.len() + PRELUDE.source.len());
    // One entry per open #ifdef: (this branch is kept, the enclosing block is kept).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let active = |stack: &[(bool, bool)]| stack.last().is_none_or(|&(kept, outer)| kept && outer);
    for (n, line) in shader.source.lines().enumerate() {
        let at = |what: &str| format!("{}:{}: {what}", shader.name, n + 1);
        let trimmed = line.trim();
        let Some(directive) = trimmed.strip_prefix('#') else {
            if active(&stack) {
                out.push_str(line);
            }
            out.push('\n');
            continue;
        };
        let (word, arg) = directive.split_once(char::is_whitespace).unwrap_or((directive, ""));
        let arg = arg.trim();
        match word {
            "ifdef" | "ifndef" => {
                if !shader.defines.contains(&arg) {
                    return Err(at(&format!(
                        "'{arg}' is not among the shader's defines {:?}",
                        shader.defines
                    )));
                }
                let set = defines.contains(&arg);
                stack.push((set == (word == "ifdef"), active(&stack)));
            }
            "else" => match stack.last_mut() {
                Some((kept, _)) => *kept = !*kept,
                None => return Err(at("#else without #ifdef")),
            },
            "endif" => {
                if stack.pop().is_none() {
                    return Err(at("#endif without #ifdef"));
                }
            }
            "include" => {
                let name = arg.trim_matches('"');
                let file = INCLUDES
                    .iter()
                    .find(|s| s.name == name)
                    .ok_or_else(|| at(&format!("no includable file '{name}'")))?;
                if active(&stack) {
                    out.push_str(file.source);
                }
            }
            other => return Err(at(&format!("unknown directive '#{other}'"))),
        }
        if !matches!(word, "include") {
            out.push('\n');
        }
    }
    if !stack.is_empty() {
        return Err(format!("{}: {} #ifdef block(s) not closed", shader.name, stack.len()));
    }
    Ok(out)
}

/// The layout of a kernel's uniform struct as Rust lays it out: its size and each field's name
/// and byte offset. WGSL's struct must match it (tests/shaders.rs compares them with naga).
#[derive(Debug, Clone, Copy)]
pub struct UniformLayout {
    /// The Rust type's name, which also ties a [`Kernel`](super::Kernel) to the struct it takes.
    pub name: &'static str,
    pub size: usize,
    pub fields: &'static [(&'static str, usize)],
}

/// A `#[repr(C)]` uniform struct whose layout is known field by field.
pub trait Uniform: bytemuck::Pod {
    const LAYOUT: UniformLayout;
}

/// Declare a kernel's uniform struct: `#[repr(C)]`, Pod, and its [`Uniform`] layout. Fields whose
/// name starts with `_` are padding and are not compared with WGSL.
#[macro_export]
macro_rules! uniform_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
        $vis struct $name { $($fvis $field: $ty),* }

        impl $crate::gpu::Uniform for $name {
            const LAYOUT: $crate::gpu::UniformLayout = $crate::gpu::UniformLayout {
                name: stringify!($name),
                size: std::mem::size_of::<$name>(),
                fields: &[$((stringify!($field), std::mem::offset_of!($name, $field))),*],
            };
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    static S: Shader = Shader {
        name: "t.wgsl",
        source: "a\n#ifdef X\nb\n#ifndef Y\nc\n#else\nd\n#endif\n#endif\ne\n",
        defines: &["X", "Y"],
    };

    fn kept(defines: &[&str]) -> Vec<String> {
        preprocess(&S, defines).unwrap().lines().filter(|l| !l.is_empty()).map(String::from).collect()
    }

    #[test]
    fn blocks_follow_the_defines() {
        assert_eq!(kept(&[]), ["a", "e"]);
        assert_eq!(kept(&["X"]), ["a", "b", "c", "e"]);
        assert_eq!(kept(&["X", "Y"]), ["a", "b", "d", "e"]);
        assert_eq!(kept(&["Y"]), ["a", "e"]);
        // Line numbers are kept: 'e' is still line 10.
        assert_eq!(preprocess(&S, &[]).unwrap().lines().nth(9), Some("e"));
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(preprocess(&S, &["Z"]).unwrap_err().contains("unknown define 'Z'"));
        for (source, want) in [
            ("#ifdef X\n", "not closed"),
            ("#endif\n", "#endif without"),
            ("#else\n", "#else without"),
            ("#ifdef W\n#endif\n", "'W' is not among"),
            ("#pragma once\n", "unknown directive"),
            ("#include \"nope.wgsl\"\n", "no includable file"),
        ] {
            let s = Shader { name: "bad.wgsl", source, defines: &["X"] };
            let e = preprocess(&s, &[]).unwrap_err();
            assert!(e.contains(want), "{source:?}: {e}");
        }
    }

    #[test]
    fn the_prelude_is_spliced_in() {
        let s = Shader { name: "i.wgsl", source: "#include \"prelude.wgsl\"\nfn f() {}\n", defines: &[] };
        let text = preprocess(&s, &[]).unwrap();
        assert!(text.starts_with(PRELUDE.source) && text.ends_with("fn f() {}\n"));
    }
}
