import type { FactReader } from "../reader.js";
import { absentReader } from "./absent.js";
import { headcountReader } from "./headcount.js";
import { moneyReader } from "./money.js";
import { patentsReader } from "./patents.js";
import { ratioReader } from "./ratio.js";
import { relativeReader } from "./relative.js";

/** Readers of the company's figures: money, headcounts, ratios, patents, the year before; what it lacks after them (a stated figure wins); changes to an earlier turn's figures. */
export const NUMBER_READERS: FactReader[] = [moneyReader, headcountReader, ratioReader, patentsReader, absentReader, relativeReader];
