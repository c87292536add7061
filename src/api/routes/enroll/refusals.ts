// Why an enrollment key may not be used, as the one error shape: each refusal with its status and a
// message that tells the person at the device what to do.
import type { EnrollRefusal } from '../../../db/queries/enrollment';
import { DomainError } from '../../../domain/errors';

const REFUSALS: Record<EnrollRefusal, DomainError> = {
  unknown_key: new DomainError(401, 'enrollment_key_invalid', 'the enrollment key is not valid'),
  revoked: new DomainError(403, 'enrollment_key_revoked', 'this enrollment key was revoked: ask an operator for a new one'),
  expired: new DomainError(403, 'enrollment_key_expired', 'this enrollment key has expired: ask an operator for a new one'),
  used_up: new DomainError(403, 'enrollment_key_used_up', 'this enrollment key has been used as many times as it allows: ask an operator for a new one'),
  name_taken: new DomainError(409, 'conflict', 'another device already has this name: enroll with --name'),
};

export function enrollRefusal(refusal: EnrollRefusal): DomainError {
  return REFUSALS[refusal];
}
