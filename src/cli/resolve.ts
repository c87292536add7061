// Turns what a user types (a group name or id) into the ids the API takes.
import type { GroupView } from './api-types';
import type { ApiClient, Page } from './http';
import { isUuid, UsageError } from './parse';

export async function resolveGroupId(api: ApiClient, nameOrId: string): Promise<string> {
  if (isUuid(nameOrId)) return nameOrId;
  const page = await api.get<Page<GroupView>>('/v1/groups', { name: nameOrId });
  const group = page.items.find((g) => g.name === nameOrId);
  if (!group) throw new UsageError(`no group named "${nameOrId}" (see: flotilla groups list)`);
  return group.id;
}

export async function resolveGroupIds(api: ApiClient, namesOrIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const g of namesOrIds) ids.push(await resolveGroupId(api, g));
  return ids;
}
