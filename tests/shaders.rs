//! Every WGSL source parses and validates with naga under every combination of its defines,
//! every file in shaders/ is embedded, and every kernel's uniform struct in Rust matches its WGSL
//! struct field by field. Needs no GPU. (Native only: it reads the directory.)
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use webtune::gpu::shader::{preprocess, Shader};

fn parse(name: &str, source: &str) -> Result<naga::Module, String> {
    let module =
        naga::front::wgsl::parse_str(source).map_err(|e| format!("{name}: {}", e.emit_to_string(source)))?;
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .map_err(|e| format!("{name}: {}", e.emit_to_string(source)))?;
    Ok(module)
}

/// Every subset of the shader's defines.
fn define_sets(shader: &Shader) -> Vec<Vec<&'static str>> {
    (0..1u32 << shader.defines.len())
        .map(|bits| {
            shader.defines.iter().enumerate().filter(|(i, _)| bits >> i & 1 == 1).map(|(_, d)| *d).collect()
        })
        .collect()
}

#[test]
fn every_source_validates_under_every_define_set() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for shader in webtune::kernels::shaders() {
        for defines in define_sets(shader) {
            let label = format!("{}{defines:?}", shader.name);
            match preprocess(shader, &defines).and_then(|text| parse(&label, &text)) {
                Ok(_) => checked += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every subset of every source's defines: matmul's six (WEIGHTS_F16, WEIGHTS_Q4, SUBGROUPS,
    // A_VEC4, B_VEC4, STORE_ONLY) give 64 sets, the other sources fewer.
    let expected: usize = webtune::kernels::shaders().iter().map(|s| 1usize << s.defines.len()).sum();
    assert_eq!(checked, expected);
    assert!(checked >= 28, "only {checked} variants validated");
}

#[test]
fn every_wgsl_file_is_embedded_and_none_is_a_generated_twin() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let embedded: Vec<_> = webtune::kernels::shaders().iter().map(|s| s.name).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".wgsl") {
            assert!(embedded.contains(&name.as_str()), "{name} is not embedded by any kernel module");
            assert!(!name.ends_with("_f16.wgsl"), "{name}: variants are defines in one source, not copies");
            // And the embedded copy is the file on disk (include_str! keeps them in step).
            let on_disk = std::fs::read_to_string(dir.join(&name)).unwrap();
            let shader = webtune::kernels::shaders().into_iter().find(|s| s.name == name).unwrap();
            assert_eq!(shader.source, on_disk, "{name}");
        }
    }
}

/// The uniform struct at group 0, binding 0 of `module`: (size, [(field, offset)]).
fn wgsl_uniform(module: &naga::Module) -> Option<(u32, Vec<(String, u32)>)> {
    let (_, var) = module.global_variables.iter().find(|(_, v)| {
        v.space == naga::AddressSpace::Uniform
            && v.binding.as_ref().is_some_and(|b| b.group == 0 && b.binding == 0)
    })?;
    match &module.types[var.ty].inner {
        naga::TypeInner::Struct { members, span } => {
            Some((*span, members.iter().map(|m| (m.name.clone().unwrap_or_default(), m.offset)).collect()))
        }
        _ => None,
    }
}

#[test]
fn uniform_structs_match_wgsl_field_by_field() {
    let mut failures = Vec::new();
    let kernels = webtune::kernels::kernels();
    assert!(kernels.len() >= 24, "only {} kernels listed", kernels.len());
    for k in kernels {
        let text = preprocess(k.shader, k.defines).unwrap();
        let module = parse(&k.label(), &text).unwrap();
        let Some((size, fields)) = wgsl_uniform(&module) else {
            failures.push(format!("{}: no uniform struct at binding 0", k.label()));
            continue;
        };
        let real = |name: &str| !name.starts_with('_');
        let wgsl: Vec<_> =
            fields.into_iter().filter(|(n, _)| real(n)).map(|(n, o)| (n, o as usize)).collect();
        let rust: Vec<_> =
            k.params.fields.iter().filter(|(n, _)| real(n)).map(|&(n, o)| (n.to_string(), o)).collect();
        if wgsl != rust || size as usize != k.params.size {
            failures.push(format!(
                "{}: WGSL {wgsl:?} ({size} bytes) vs Rust {} {rust:?} ({} bytes)",
                k.label(),
                k.params.name,
                k.params.size
            ));
        }
        // The entry point exists in this variant.
        if !module.entry_points.iter().any(|e| e.name == k.entry) {
            failures.push(format!("{}: no entry point '{}'", k.label(), k.entry));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn broken_shaders_and_mismatched_uniforms_are_caught() {
    // The checks themselves must be able to fail.
    assert!(parse("broken", "fn f() -> f32 { return 1u; }").is_err());
    assert!(parse("broken", "@compute @workgroup_size(1) fn main() { let x = ; }").is_err());
    let module = parse(
        "swapped",
        "struct P { b: u32, a: u32 }\n@group(0) @binding(0) var<uniform> p: P;\n\
         @compute @workgroup_size(1) fn main() { _ = p.a; }",
    )
    .unwrap();
    let (_, fields) = wgsl_uniform(&module).unwrap();
    assert_eq!(fields, [("b".to_string(), 0), ("a".to_string(), 4)]);
}
