/** The route table: which calls count against the write throttle. */
import { isWrite } from '../../src/sandbox/routes';

describe('the emulator route table', () => {
  it('counts every call but a GET and the read-only POST actions its routes declare as a write', () => {
    expect(isWrite('GET', '/groups')).toBe(false);
    expect(isWrite('POST', '/groups')).toBe(true);
    expect(isWrite('PATCH', "/groups(uniqueName='apdp-1')")).toBe(true);
    expect(isWrite('DELETE', '/directory/deletedItems/g-1')).toBe(true);
    expect(isWrite('POST', '/users/u-1/checkMemberGroups')).toBe(false);
    expect(isWrite('POST', "/deviceManagement/configurationPolicies('p-1')/retrieveEnrollmentTimeDeviceMembershipTarget")).toBe(false);
    expect(isWrite('POST', "/deviceManagement/configurationPolicies('p-1')/setEnrollmentTimeDeviceMembershipTarget")).toBe(true);
  });
});
