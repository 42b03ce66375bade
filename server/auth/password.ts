import { hash, verify } from "@node-rs/argon2";

// Argon2id with OWASP's recommended floor (19 MiB, 2 passes). Memory-hard: GPUs gain little.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with Argon2id; the PHC string carries its own salt and parameters. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Checks a password against a stored hash; false (never throws) on a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches keeps sign-in timing the same for unknown emails.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("coachwork-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}
