/** OData string literals as the Graph adapter writes them into filters and keys. */
import { odataStringLiteral } from '../../src/graph/graphUrl';

describe('OData string literals', () => {
  it('escapes OData string literals by doubling quotes', () => {
    expect(odataStringLiteral("O'Brien")).toBe("'O''Brien'");
    expect(odataStringLiteral("' or 1 eq 1")).toBe("''' or 1 eq 1'");
  });
});
