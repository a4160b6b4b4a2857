/** The two Autopilot device-preparation scenarios and their Intune policy template ids. */
export const SCENARIOS = ['userDriven', 'automatic'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ScenarioInfo {
  readonly id: Scenario;
  readonly label: string;
  readonly templateId: string;
}

export const SCENARIO_INFO: Readonly<Record<Scenario, ScenarioInfo>> = {
  userDriven: {
    id: 'userDriven',
    label: 'User-driven · Microsoft Entra join',
    templateId: '80d33118-b7b4-40d8-b15f-81be745e053f_1',
  },
  automatic: {
    id: 'automatic',
    label: 'Automatic · Windows 365',
    templateId: 'a6157a7f-aa00-42d9-ac82-7d2479f545db_1',
  },
};

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'string' && (SCENARIOS as readonly string[]).includes(value);
}
