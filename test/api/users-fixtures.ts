// Users for API tests: created through the API with the bootstrap admin token.
import type { Role } from '../../src/domain/roles';
import type { Harness } from './harness';

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
