// /v1/schedules: recurring batches on Temporal Schedules. Create, list, read, change, pause, resume,
// trigger, delete, and the runs each schedule started.
import { createRoute, z } from '@hono/zod-openapi';
import { createScheduleSchema, patchScheduleSchema, pauseScheduleSchema } from '../../../domain/schedule';
import { SCHEDULE_EXAMPLES } from '../../schemas/examples';
import { runSchema, scheduleSchema } from '../../schemas/schedule';
import { bearer, commonErrors, errorResponses, errorSchema, idParam, jsonBody, jsonContent, ownerQuery, pageOf, pageQuery } from '../../schemas/common';

const tags = ['schedules'];
const one = jsonContent(z.object({ schedule: scheduleSchema }), 'The schedule');
const temporalDown = jsonContent(errorSchema, 'Temporal could not be reached; nothing was changed');

export const create = createRoute({
  method: 'post',
  path: '/v1/schedules',
  operationId: 'createSchedule',
  tags,
  summary: 'Create a schedule: a batch request run at the times of a spec, as a Temporal Schedule',
  security: bearer,
  request: { body: jsonBody(createScheduleSchema, 'Name, spec, timezone, overlap policy and the POST /v1/batches body', SCHEDULE_EXAMPLES) },
  responses: { 201: one, ...commonErrors, 409: errorResponses[409], 503: temporalDown },
});

export const list = createRoute({
  method: 'get',
  path: '/v1/schedules',
  operationId: 'listSchedules',
  tags,
  summary: 'List schedules, newest first',
  security: bearer,
  request: { query: z.object({ ...pageQuery, ...ownerQuery }) },
  responses: { 200: jsonContent(pageOf(scheduleSchema), 'A page of schedules'), ...commonErrors },
});

export const get = createRoute({
  method: 'get',
  path: '/v1/schedules/{id}',
  operationId: 'getSchedule',
  tags,
  summary: 'Read a schedule with its next run times, recent runs and last result',
  security: bearer,
  request: { params: idParam },
  responses: { 200: one, ...commonErrors, 404: errorResponses[404] },
});

export const patch = createRoute({
  method: 'patch',
  path: '/v1/schedules/{id}',
  operationId: 'updateSchedule',
  tags,
  summary: 'Change the spec, batch request, overlap policy or timezone',
  security: bearer,
  request: { params: idParam, body: jsonBody(patchScheduleSchema, 'The fields to change') },
  responses: { 200: one, ...commonErrors, 404: errorResponses[404], 503: temporalDown },
});

export const pause = createRoute({
  method: 'post',
  path: '/v1/schedules/{id}/pause',
  operationId: 'pauseSchedule',
  tags,
  summary: 'Stop taking runs until resumed; the note is shown with the schedule',
  security: bearer,
  request: { params: idParam, body: { ...jsonBody(pauseScheduleSchema, 'An optional note'), required: false } },
  responses: { 200: one, ...commonErrors, 404: errorResponses[404], 503: temporalDown },
});

const control = (verb: 'resume' | 'trigger', summary: string) =>
  createRoute({
    method: 'post',
    path: `/v1/schedules/{id}/${verb}`,
    operationId: `${verb}Schedule`,
    tags,
    summary,
    security: bearer,
    request: { params: idParam },
    responses: { 200: one, ...commonErrors, 404: errorResponses[404], 503: temporalDown },
  });

export const resume = control('resume', 'Take runs again');
export const trigger = control('trigger', 'Run now, obeying the overlap policy');

export const remove = createRoute({
  method: 'delete',
  path: '/v1/schedules/{id}',
  operationId: 'deleteSchedule',
  tags,
  summary: 'Delete the schedule and its Temporal Schedule; the batches it started stay',
  security: bearer,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...commonErrors, 404: errorResponses[404], 503: temporalDown },
});

export const runs = createRoute({
  method: 'get',
  path: '/v1/schedules/{id}/runs',
  operationId: 'listScheduleRuns',
  tags,
  summary: "The schedule's runs, newest first: each batch it started, or why a run could not start one",
  security: bearer,
  request: { params: idParam, query: z.object(pageQuery) },
  responses: { 200: jsonContent(pageOf(runSchema), 'A page of runs'), ...commonErrors, 404: errorResponses[404] },
});

export type CreateRoute = typeof create;
export type ListRoute = typeof list;
export type GetRoute = typeof get;
export type PatchRoute = typeof patch;
export type PauseRoute = typeof pause;
export type ResumeRoute = typeof resume;
export type TriggerRoute = typeof trigger;
export type RemoveRoute = typeof remove;
export type RunsRoute = typeof runs;
