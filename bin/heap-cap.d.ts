export function heapCapArgs(env?: NodeJS.ProcessEnv, execArgv?: readonly string[]): string[];
export function runWithHeapCap(script: string, args: readonly string[]): Promise<number>;
