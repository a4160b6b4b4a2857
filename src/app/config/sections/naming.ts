/** How groups are named (GROUP_NAME_TEMPLATE, BLOCKED_WORDS); the template is checked by the domain's own rules. */
import { z } from 'zod';
import { templateProblemOf } from '../../../domain/naming';
import type { EnvironmentReader } from '../reader';
import { commaList } from '../schema';
import type { Config } from '../types';

const groupNameTemplate = z.string().superRefine((value, context) => {
  const problem = templateProblemOf(value);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

export function readNaming(reader: EnvironmentReader): Config['naming'] {
  return {
    groupNameTemplate: reader.optional('GROUP_NAME_TEMPLATE', groupNameTemplate),
    blockedWords: reader.optional('BLOCKED_WORDS', commaList) ?? [],
  };
}
