// nncc-emit-entry-points reports a malformed manifest instead of crashing.
// RUN: nncc-opt %s --nncc-emit-entry-points -split-input-file -verify-diagnostics

// expected-error @below {{nn.manifest is not an nncc manifest (JSON with 'model' and 'entries')}}
module attributes {nn.manifest = "not json"} {
}

// -----

// expected-error @below {{nn.manifest has an entry without name, symbol and args}}
module attributes {nn.manifest = "{\"model\": \"m\", \"entries\": [{\"name\": 3}]}"} {
}
