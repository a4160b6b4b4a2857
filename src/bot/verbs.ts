/** The Action.Execute verbs of every card button: the only contract between the cards and the routes. */
export const VERBS = {
  openRequestForm: 'request.open',
  previewRequest: 'request.preview',
  submitRequest: 'request.submit',
  refreshRequest: 'request.refresh',
  showMine: 'mine.show',
  showRequest: 'request.show',
  cancelRequest: 'request.cancel',
  showHelp: 'help.show',
  refreshApproval: 'approval.refresh',
  approve: 'approval.approve',
  reject: 'approval.reject',
  retry: 'approval.retry',
  groupsPage: 'groups.page',
  repairOwner: 'check.repairOwner',
  restoreGroup: 'check.restoreGroup',
} as const;
