/**
 * The subset of Adaptive Cards 1.5 this bot renders, typed so a card cannot carry an element or property the
 * schema lacks (the lint test also parses every card with the `adaptivecards` package).
 */
import type { ButtonData } from '../verb';
import type { CardVerb, VerbName } from '../verbs';

export type TextColor = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly id?: string;
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

/** Dynamic typeahead (Teams): the client asks the bot for choices with an `application/search` invoke. */
export interface DataQuery {
  readonly type: 'Data.Query';
  /** Names what is searched; the bot's search route for it answers. */
  readonly dataset: string;
}

export interface InputChoiceSet {
  readonly type: 'Input.ChoiceSet';
  readonly id: string;
  readonly label: string;
  readonly choices: readonly Choice[];
  /** With `style: 'filtered'`, Teams fetches further choices from the bot as the person types. */
  readonly 'choices.data'?: DataQuery;
  readonly value?: string;
  readonly placeholder?: string;
  readonly style?: 'expanded' | 'compact' | 'filtered';
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

/** A button that opens a confirmation under it, whose own button does the change (nothing changes on the first click). */
export interface ConfirmAction {
  readonly type: 'Action.ShowCard';
  readonly title: string;
  readonly card: { readonly type: 'AdaptiveCard'; readonly body: readonly CardElement[]; readonly actions: readonly ExecuteAction[] };
}

/** Shows or hides elements of the card in the client, without a call to the bot (a details section). */
export interface ToggleVisibilityAction {
  readonly type: 'Action.ToggleVisibility';
  readonly title: string;
  readonly targetElements: readonly string[];
}

export interface OpenUrlAction {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

export type CardAction = ExecuteAction | ToggleVisibilityAction | OpenUrlAction | ConfirmAction;

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
}

export interface Container {
  readonly type: 'Container';
  readonly id?: string;
  /** false: hidden until a ToggleVisibility action shows it. */
  readonly isVisible?: boolean;
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
  readonly actions?: readonly CardAction[];
  readonly refresh?: Refresh;
};

export const MAX_REFRESH_USER_IDS = 60;

export function adaptiveCard(
  body: readonly CardElement[],
  options: { readonly actions?: readonly CardAction[]; readonly refresh?: Refresh } = {},
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

/** `title` opens `question` with the one button that makes the change. */
export function confirm(title: string, question: string, action: ExecuteAction): ConfirmAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body: [text(question)], actions: [action] } };
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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_TIME = /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)?/g;

/**
 * The one way every card and message shows a time: `2026-11-25T11:05:20.123Z` → `25 Nov 2026, 11:05 UTC`, or
 * `25 Nov 2026` for a day (a recycle-bin deadline). Unambiguous across locales and time zones.
 */
export function formatTime(iso: string, precision: 'minute' | 'day' = 'minute'): string {
  ISO_TIME.lastIndex = 0;
  const match = ISO_TIME.exec(iso);
  if (!match) return iso;
  const [, year, month, day, hours, minutes] = match;
  const date = `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
  return precision === 'day' ? date : `${date}, ${hours}:${minutes} UTC`;
}

/** A sentence from a service or Graph (a finding's detail) with every ISO time in it shown the one way. */
export function readableTimes(sentence: string): string {
  return sentence.replace(ISO_TIME, (iso) => formatTime(iso));
}

/** `1 policy`, `3 policies`: the count and the noun that fits it. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A button that shows or hides the elements with these ids (a details section), in the client alone. */
export function toggle(title: string, targetIds: readonly string[]): ToggleVisibilityAction {
  return { type: 'Action.ToggleVisibility', title, targetElements: targetIds };
}

/** Hidden elements a `toggle` shows: codes and object ids, for whoever needs them. */
export function detailsSection(id: string, items: readonly CardElement[]): Container {
  return { type: 'Container', id, isVisible: false, items };
}

/** A Details button and the hidden section it opens (`id` unique in the card). */
export function withDetails(id: string, items: readonly CardElement[]): CardElement[] {
  return [{ type: 'ActionSet', actions: [toggle('Details', [id])] }, detailsSection(id, items)];
}

/** A titled message, e.g. that something was not found. */
export function noticeCard(title: string, message: string): AdaptiveCard {
  return adaptiveCard([heading(title), text(message)]);
}
