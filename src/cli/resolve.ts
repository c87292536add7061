// Turns what a user types (a group name or id) into the ids the API takes.
import type { GroupJson } from '../api/schemas/group';
import type { MeJson, UserJson } from '../api/schemas/user';
import type { Page } from '../db/queries/pagination';
import type { ApiClient } from './http';
import { isUuid, UsageError } from './parse';

export async function resolveGroupId(api: ApiClient, nameOrId: string): Promise<string> {
  if (isUuid(nameOrId)) return nameOrId;
  const page = await api.get<Page<GroupJson>>('/v1/groups', { name: nameOrId });
  const group = page.items.find((g) => g.name === nameOrId);
  if (!group) throw new UsageError(`no group named "${nameOrId}" (see: flotilla groups list)`);
  return group.id;
}

export async function resolveGroupIds(api: ApiClient, namesOrIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const g of namesOrIds) ids.push(await resolveGroupId(api, g));
  return ids;
}

/** A user id from a name or id; without one, the caller's own id. */
export async function resolveUserId(api: ApiClient, nameOrId: string | undefined): Promise<string> {
  if (nameOrId === undefined) return (await api.get<MeJson>('/v1/me')).id;
  if (isUuid(nameOrId)) return nameOrId;
  const user = (await api.all<UserJson>('/v1/users')).find((u) => u.name === nameOrId);
  if (!user) throw new UsageError(`no user named "${nameOrId}" that you may see (see: flotilla users list)`);
  return user.id;
}
