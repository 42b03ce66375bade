import type { Rule } from "eslint";

export function readOwnership(source: string): { tables: string[]; alsoWrites: string[] };
declare const rule: Rule.RuleModule;
export default rule;
