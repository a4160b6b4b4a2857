/** Creating device-preparation policies over the wire. */
export const POLICIES = '/beta/deviceManagement/configurationPolicies';

export const createBody = (name: string, templateId: string): Record<string, unknown> => ({
  name,
  description: '',
  platforms: 'windows10',
  technologies: 'enrollment',
  roleScopeTagIds: ['0'],
  templateReference: { templateId },
  settings: [],
});
