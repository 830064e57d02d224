"""cc_fuzz_test: libFuzzer targets in the shape of rules_fuzzing (written here:
rules_fuzzing is not available offline).

cc_fuzz_test(name = "x_fuzzer", ...) makes
  x_fuzzer      a cc_test that replays every file of the seed corpus through
                LLVMFuzzerTestOneInput (replay_main.cc; any compiler, plain
                `bazel test`);
  x_fuzzer_bin  the fuzz binary: linked with -fsanitize=fuzzer under
                --config=fuzz (which sets --define=sanitizer=fuzz), otherwise
                the same replay main, so `bazel build //fuzz/...` works anywhere;
  x_fuzzer_run  `bazel run --config=fuzz //fuzz:x_fuzzer_run -- [CORPUS_DIR...]
                [-max_total_time=N] [libFuzzer flags]`: fuzzes with the dict
                and the .options file (default 60 s).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")

def cc_fuzz_test(name, srcs, deps = [], corpus = None, dict = None, options = None, size = "small", **kwargs):
    """Declares <name>, <name>_bin and <name>_run (see the file comment).

    Args:
      name: the target's name, e.g. "request_parser_fuzzer".
      srcs: sources defining LLVMFuzzerTestOneInput.
      deps: libraries they use.
      corpus: directory (in this package) holding the seed files.
      dict: a libFuzzer dictionary file.
      options: an .options file ([libfuzzer] key = value lines).
      size: the replay test's size.
      **kwargs: passed to the replay test and the binary (e.g. copts).
    """
    corpus_files = native.glob([corpus + "/**"]) if corpus else []
    corpus_path = native.package_name() + "/" + corpus if corpus else ""

    cc_test(
        name = name,
        size = size,
        srcs = srcs + ["//fuzz:replay_main.cc"],
        deps = deps + ["//fuzz:fuzz_check"],
        data = corpus_files,
        args = [corpus_path] if corpus else [],
        **kwargs
    )

    cc_binary(
        name = name + "_bin",
        srcs = srcs + select({
            "//fuzz:fuzzing_build": [],
            "//conditions:default": ["//fuzz:replay_main.cc"],
        }),
        deps = deps + ["//fuzz:fuzz_check"],
        linkopts = select({
            "//fuzz:fuzzing_build": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        testonly = True,
        **kwargs
    )

    data = [":" + name + "_bin"]
    args = ["$(location :" + name + "_bin)"]
    for f in [dict, options]:
        if f:
            data.append(f)
            args.append("$(location " + f + ")")
        else:
            args.append("''")
    native.sh_binary(
        name = name + "_run",
        srcs = ["//fuzz:fuzz_run.sh"],
        data = data,
        args = args,
        testonly = True,
    )
