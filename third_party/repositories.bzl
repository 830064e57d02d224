"""Repository rules that make Debian's Bazel packages usable offline under Bazel 4.2.3."""

def _rules_cc_for_bazel4_impl(ctx):
    # Debian ships rules_cc 0.0.4, newer than Bazel 4.2.3: two files load
    # use_cpp_toolchain, which Bazel 4's @bazel_tools lacks. Copy the tree and
    # spell out what that macro returns.
    src = ctx.path(ctx.attr.path)
    ctx.execute(["cp", "-r", str(src) + "/.", "."], quiet = True)
    for f in [
        "cc/private/rules_impl/compiler_flag.bzl",
        "cc/private/rules_impl/cc_flags_supplier.bzl",
    ]:
        text = ctx.read(f)
        text = text.replace(', "use_cpp_toolchain")', ")")
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        ctx.file(f, text, legacy_utf8 = False)

rules_cc_for_bazel4 = repository_rule(
    implementation = _rules_cc_for_bazel4_impl,
    attrs = {"path": attr.string(mandatory = True)},
    local = True,
)

def _coverage_tools_stub_impl(ctx):
    # cc_test needs @remote_coverage_tools//:coverage_report_generator to exist;
    # Bazel would download it. Offline, coverage is simply not offered.
    ctx.file("WORKSPACE", "")
    ctx.file("report.sh", "#!/bin/sh\necho 'coverage is not available in this offline build' >&2\nexit 1\n")
    ctx.file("BUILD", """
sh_binary(
    name = "coverage_report_generator",
    srcs = ["report.sh"],
    visibility = ["//visibility:public"],
)
""")

coverage_tools_stub = repository_rule(implementation = _coverage_tools_stub_impl)
