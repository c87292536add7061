// The gateways running in this process (the all-in-one runs one beside the workflow worker), for the
// worker's local activities: a device connected here gets its command from a local activity, with no
// activity task on the gateway's queue.
import type { BriefDelivery } from './activities';

export class InProcessGateways {
  private readonly byId = new Map<string, BriefDelivery>();

  /** Makes a gateway's deliveries reachable; answers the function that removes it again. */
  add(gatewayId: string, deliver: BriefDelivery): () => void {
    this.byId.set(gatewayId, deliver);
    return () => {
      if (this.byId.get(gatewayId) === deliver) this.byId.delete(gatewayId);
    };
  }

  get(gatewayId: string): BriefDelivery | undefined {
    return this.byId.get(gatewayId);
  }
}
