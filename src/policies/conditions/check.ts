import { z } from "zod";
import { BothSchema } from "./both.js";
import { LeafCheckSchema } from "./leaf.js";

export type { LeafCheck } from "./leaf.js";

/** A leaf check, or several that must all hold («生物医药领域企业注册成立不超过7年»: industry and age). Each kind's own module has its member. */
export const CheckSchema = z.union([LeafCheckSchema, BothSchema]);
export type Check = z.infer<typeof CheckSchema>;
