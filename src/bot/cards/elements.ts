/**
 * The subset of Adaptive Cards 1.5 this bot renders, typed so a card cannot carry an element or property the
 * schema lacks (the lint test also parses every card with the `adaptivecards` package).
 */
import type { ButtonData } from '../verb';
import type { CardVerb, VerbName } from '../verbs';

export type TextColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly weight?: 'Bolder' | 'Lighter';
  readonly size?: 'Small' | 'Medium' | 'Large';
  readonly color?: TextColor;
  readonly isSubtle?: boolean;
  readonly spacing?: 'None' | 'Small';
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
}

export interface InputText {
  readonly type: 'Input.Text';
  readonly id: string;
  readonly label: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly isRequired?: boolean;
  readonly isMultiline?: boolean;
  readonly maxLength?: number;
  readonly regex?: string;
  readonly errorMessage?: string;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

export interface InputChoiceSet {
  readonly type: 'Input.ChoiceSet';
  readonly id: string;
  readonly label: string;
  readonly choices: readonly Choice[];
  readonly value?: string;
  readonly style?: 'expanded' | 'compact';
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

export interface ExecuteAction {
  readonly type: 'Action.Execute';
  readonly verb: VerbName;
  readonly title?: string;
  /** What the verb's schema parses (typed by `execute`): the route parses it again on the click. */
  readonly data?: object;
  readonly style?: 'positive' | 'destructive';
  /** 'none' for buttons whose inputs must not be sent (navigation, decisions without a reason). */
  readonly associatedInputs?: 'auto' | 'none';
}

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly ExecuteAction[];
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  readonly separator?: boolean;
}

export type CardElement = TextBlock | FactSet | InputText | InputChoiceSet | ActionSet | Container;

export interface Refresh {
  readonly action: ExecuteAction;
  /** Teams user ids (`29:…`) whose clients fetch their own view; Teams accepts at most 60. */
  readonly userIds: readonly string[];
}

// A type alias (not an interface) so it is assignable to teams-ai's index-signature `AdaptiveCard`.
export type AdaptiveCard = {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly ExecuteAction[];
  readonly refresh?: Refresh;
};

export const MAX_REFRESH_USER_IDS = 60;

export function adaptiveCard(
  body: readonly CardElement[],
  options: { readonly actions?: readonly ExecuteAction[]; readonly refresh?: Refresh } = {},
): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(options.actions && options.actions.length > 0 ? { actions: options.actions } : {}),
    ...(options.refresh ? { refresh: options.refresh } : {}),
  };
}

export function text(value: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...style };
}

export function heading(value: string): TextBlock {
  return text(value, { weight: 'Bolder', size: 'Medium' });
}

export function facts(entries: readonly (readonly [string, string | undefined])[]): FactSet {
  return {
    type: 'FactSet',
    facts: entries.filter((e): e is readonly [string, string] => e[1] !== undefined && e[1] !== '').map(([title, value]) => ({ title, value })),
  };
}

/** A button for a verb: the compiler checks its data against the verb's schema. */
export function execute<V extends CardVerb>(
  title: string,
  verb: V,
  data: ButtonData<V>,
  extra: Pick<ExecuteAction, 'style' | 'associatedInputs'> = {},
): ExecuteAction {
  return { type: 'Action.Execute', title, verb: verb.name, data, ...extra };
}

/**
 * Escapes the markdown (and the HTML tags) Teams renders in messages, TextBlocks and facts, so text people typed
 * cannot forge links, emphasis or headings, and `<policy>` is shown rather than taken for a tag.
 */
export function plain(value: string): string {
  return value.replace(/[\\`*_[\]<>~#|]/g, (c) => `\\${c}`);
}

/**
 * A name shown exactly as typed in a text message: a code span, inside which Teams neither formats markdown
 * nor turns a URL or domain into a link (a policy named "Contoso https://evil.example" stays text). The fence is
 * one backtick longer than any run of backticks inside, so no name can close it early.
 */
export function verbatim(value: string): string {
  const longestRun = Math.max(0, ...Array.from(value.matchAll(/`+/g), (run) => run[0].length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space from each end, so a name that starts or ends with a backtick keeps it.
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** `2026-11-25T11:05:20.123Z` → `2026-11-25 11:05 UTC`: readable and unambiguous across time zones. */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** A titled message, e.g. that something was not found. */
export function noticeCard(title: string, message: string): AdaptiveCard {
  return adaptiveCard([heading(title), text(message)]);
}
