// The reference's one activity: returns at once.
export const referenceActivities = {
  async noop(): Promise<void> {
    // Nothing: the reference measures Temporal's own cost of scheduling and completing an activity.
  },
};
