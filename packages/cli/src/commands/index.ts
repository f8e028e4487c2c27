import type { Command } from "commander";
import type { AppFor } from "../shared/command.js";
import * as accountsList from "./accounts/list.js";
import * as accountsUse from "./accounts/use.js";
import * as login from "./auth/login.js";
import * as logout from "./auth/logout.js";
import * as authStatus from "./auth/status.js";
import * as whoami from "./auth/whoami.js";
import * as chatInfo from "./chat/info.js";
import * as chats from "./chat/list.js";
import * as chatNew from "./chat/new.js";
import * as read from "./chat/read.js";
import * as topic from "./chat/topic.js";
import * as contacts from "./contacts/list.js";
import * as download from "./file/download.js";
import * as upload from "./file/upload.js";
import * as membersAdd from "./members/add.js";
import * as membersRemove from "./members/remove.js";
import * as del from "./message/delete.js";
import * as edit from "./message/edit.js";
import * as messages from "./message/list.js";
import * as react from "./message/react.js";
import * as reply from "./message/reply.js";
import * as send from "./message/send.js";
import * as presence from "./presence/show.js";
import * as profile from "./profile/show.js";
import * as search from "./search/messages.js";
import * as statusMessage from "./status/message.js";
import * as statusReset from "./status/reset.js";
import * as statusSet from "./status/set.js";
import * as tenants from "./tenants/list.js";
import * as watch from "./watch/watch.js";

/** Every subcommand, in the order `teams --help` lists them. */
export function registerCommands(program: Command, appFor: AppFor): void {
  login.register(program, appFor);
  logout.register(program, appFor);
  whoami.register(program, appFor);
  chats.register(program, appFor);
  messages.register(program, appFor);
  send.register(program, appFor);
  reply.register(program, appFor);
  edit.register(program, appFor);
  del.register(program, appFor);
  react.register(program, appFor);
  read.register(program, appFor);
  topic.register(program, appFor);
  search.register(program, appFor);
  upload.register(program, appFor);
  download.register(program, appFor);
  watch.register(program, appFor);

  const chat = program.command("chat").description("create chats and show a chat's details");
  chatNew.register(chat, appFor);
  chatInfo.register(chat, appFor);

  presence.register(program, appFor);
  const status = program.command("status").description("set or reset your status and status message");
  statusSet.register(status, appFor);
  statusReset.register(status, appFor);
  statusMessage.register(status, appFor);
  contacts.register(program, appFor);
  profile.register(program, appFor);
  tenants.register(program, appFor);

  const members = program.command("members").description("add people to a chat or remove them");
  membersAdd.register(members, appFor);
  membersRemove.register(members, appFor);

  const auth = program.command("auth").description("the sign-in and its tokens");
  authStatus.register(auth, appFor);

  const accounts = program.command("accounts").description("several accounts: list them, switch between them");
  accountsList.register(accounts, appFor);
  accountsUse.register(accounts, appFor);
}
