#!/usr/bin/env bash
# Creates the boilerplate of a project: tools/scaffold/new-project.sh <dir> <nx-name> <tags-json> [app|lib]
set -euo pipefail
dir=$1 name=$2 tags=$3 kind=${4:-lib}
mkdir -p "$dir/src"
rel=$(realpath --relative-to="$dir" .)
mkdir -p "$dir/src"
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "projectType": "$([ "$kind" = app ] && echo application || echo library)",
  "sourceRoot": "$dir/src",
  "tags": $tags,
  "targets": { "lint": {}, "typecheck": {}, "test": {} }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$rel/tsconfig.base.json",
  "include": ["src/**/*.ts"]
}
JSON
cat > "$dir/jest.config.js" <<JS
const { projectConfig } = require('$rel/jest.preset');

module.exports = projectConfig(__dirname);
JS
cat > "$dir/package.json" <<JSON
{
  "name": "@trellis/$name",
  "version": "0.1.0",
  "private": true
}
JSON
