import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type FieldProblem } from '../shared/errors';
import { INPUT_CLASSES, type InputFor } from './inputs';
import type { RecordType } from './records';

function flatten(errors: ClassValidatorError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Turns a plain object (a JSON line, or a GraphQL input merged onto the stored record) into the input
 * class and checks every rule at once. Throws ValidationError listing all problems; unknown
 * properties are problems too, so a typo in a JSON line is not silently dropped.
 */
export function validateRecord<T extends RecordType>(type: T, plain: unknown): InputFor<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ValidationError([{ path: '(record)', message: 'must be a JSON object' }]);
  }
  const cls = INPUT_CLASSES[type];
  const instance = plainToInstance(cls as new () => object, plain, { enableImplicitConversion: false }) as InputFor<T>;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  const problems = flatten(errors);
  if (problems.length) throw new ValidationError(problems, `Invalid ${type}`);
  return instance;
}
