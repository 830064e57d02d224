# Sourced by the fuzz scripts: every fuzz target, in the order they run.
fuzz_targets=(
  request_parser_fuzzer
  split_fuzzer
  chunked_decoder_fuzzer
  differential_llhttp_fuzzer
  response_writer_fuzzer
  connection_fuzzer
  response_parser_fuzzer
  response_split_fuzzer
  differential_llhttp_response_fuzzer
)
