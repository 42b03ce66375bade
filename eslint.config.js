import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import moduleBoundaries from "./scripts/eslint/module-boundaries.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["scripts/**/*.js", "bin/**/*.js"], languageOptions: { globals: globals.node } },
  {
    files: ["client/src/**/*.tsx", "client/src/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["server/modules/**/*.ts"],
    plugins: { coachwork: { rules: { "module-boundaries": moduleBoundaries } } },
    rules: { "coachwork/module-boundaries": "error" },
  },
  {
    files: ["server/db/migrations/**/*.ts"],
    // Migrations are frozen in time and deliberately untyped against the live schema.
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
