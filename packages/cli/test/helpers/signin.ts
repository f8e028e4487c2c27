export { signInByForm } from "@teams-api/emulator";
