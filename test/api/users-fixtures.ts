// Users for API tests: created through the API with the bootstrap admin token.
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../src/domain/roles';
import { startHarness, type Harness } from './harness';

export interface TestUser {
  id: string;
  name: string;
  role: Role;
  token: string;
  tokenId: string;
}

export async function createUser(h: Harness, name: string, role: Role): Promise<TestUser> {
  const res = await h.json('POST', '/v1/users', { name, role });
  if (res.status !== 201) throw new Error(`creating user ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, name, role, token: res.body.token, tokenId: res.body.tokenId };
}

/** The Authorization header of a user's token. */
export function bearerOf(user: { token: string }): Record<string, string> {
  return { authorization: `Bearer ${user.token}` };
}

/** Two operators and an auditor: the cast of the role and cross-tenant tests. */
export interface Cast {
  alice: TestUser;
  bob: TestUser;
  audra: TestUser;
}

export async function createCast(h: Harness): Promise<Cast> {
  return {
    alice: await createUser(h, 'alice', 'operator'),
    bob: await createUser(h, 'bob', 'operator'),
    audra: await createUser(h, 'audra', 'auditor'),
  };
}

export interface CastSuite extends Cast {
  h: Harness;
}

/** A harness of its own with the cast, made before the file's first test and closed after its last. */
export function useCastSuite(): CastSuite {
  const suite = {} as CastSuite;
  beforeAll(async () => {
    suite.h = await startHarness();
    Object.assign(suite, await createCast(suite.h));
  });
  afterAll(async () => {
    await suite.h?.close();
  });
  return suite;
}
