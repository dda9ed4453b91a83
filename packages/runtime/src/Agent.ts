/** A unit of work run repeatedly by an `AgentRunner` (Aeron/Agrona's Agent, in Node's single thread). */
export interface Agent {
  readonly roleName: string;
  /** Does a bounded amount of work and returns how much (0 = idle). Must not block. */
  doWork(): number;
  onClose?(): void;
}

/** Runs several agents as one duty cycle, in order (e.g. the Aeron conductor first, then the service). */
export class CompositeAgent implements Agent {
  readonly roleName: string;
  constructor(private readonly agents: readonly Agent[]) {
    this.roleName = agents.map((a) => a.roleName).join('+');
  }
  doWork(): number {
    let work = 0;
    for (let i = 0; i < this.agents.length; i++) work += this.agents[i]!.doWork();
    return work;
  }
  onClose(): void {
    for (const a of this.agents) a.onClose?.();
  }
}
