<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddPlaylistDialog</name>
    <message>
        <source>Add playlist</source>
        <translation>添加歌单</translation>
    </message>
    <message>
        <source>Playlist files (M3U, M3U8, PLS, XSPF) or http(s) URLs, one per line:</source>
        <translation>歌单文件（M3U、M3U8、PLS、XSPF）或 http(s) 链接，每行一个：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Choose playlist files</source>
        <translation>选择歌单文件</translation>
    </message>
    <message>
        <source>Playlists (*.m3u *.m3u8 *.pls *.xspf)</source>
        <translation>歌单 (*.m3u *.m3u8 *.pls *.xspf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>BackendEditor</name>
    <message>
        <source>WebDAV server</source>
        <translation>WebDAV 服务器</translation>
    </message>
    <message>
        <source>Folder (another disk or share)</source>
        <translation>文件夹（其他磁盘或共享）</translation>
    </message>
    <message>
        <source>Edit upload target</source>
        <translation>编辑上传目标</translation>
    </message>
    <message>
        <source>Add upload target</source>
        <translation>添加上传目标</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Test the connection before saving</source>
        <translation>保存前测试连接</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>stored; leave empty to keep it</source>
        <translation>已保存；留空则保持不变</translation>
    </message>
    <message>
        <source>a folder, e.g. /mnt/usb/Music</source>
        <translation>一个文件夹，例如 /mnt/usb/Music</translation>
    </message>
    <message>
        <source>Choose the upload folder</source>
        <translation>选择上传文件夹</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Test failed: %s</source>
        <translation>测试失败：%s</translation>
    </message>
    <message>
        <source>Connection works.</source>
        <translation>连接正常。</translation>
    </message>
    <message>
        <source>Created on the server: %s</source>
        <translation>已在服务器上创建：%s</translation>
    </message>
    <message>
        <source>Testing and saving…</source>
        <translation>正在测试并保存…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved: %s</source>
        <translation>未保存：%s</translation>
    </message>
    <message>
        <source>Upload target %s saved.</source>
        <translation>上传目标 %s 已保存。</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>Cannot open %s</source>
        <translation>无法打开 %s</translation>
    </message>
</context>
<context>
    <name>ErrorCauses</name>
    <message>
        <source>the server did not answer in time</source>
        <translation>服务器未及时响应</translation>
    </message>
    <message>
        <source>the server could not be reached</source>
        <translation>无法连接到服务器</translation>
    </message>
    <message>
        <source>the server stayed unreachable</source>
        <translation>服务器一直无法连接</translation>
    </message>
    <message>
        <source>the library share reported an input/output error</source>
        <translation>曲库共享报告了输入/输出错误</translation>
    </message>
    <message>
        <source>the library folder was unreachable</source>
        <translation>无法访问曲库文件夹</translation>
    </message>
    <message>
        <source>another file already holds the song&apos;s place in the library</source>
        <translation>曲库中该歌曲的位置已被另一个文件占用</translation>
    </message>
    <message>
        <source>the connection broke off during the transfer</source>
        <translation>传输过程中连接中断</translation>
    </message>
    <message>
        <source>the server sent an answer that could not be understood</source>
        <translation>服务器返回了无法识别的响应</translation>
    </message>
    <message>
        <source>the server sent something that is not an audio file</source>
        <translation>服务器返回的内容不是音频文件</translation>
    </message>
    <message>
        <source>this kind of link cannot be downloaded</source>
        <translation>无法下载此类链接</translation>
    </message>
    <message>
        <source>the song is only available as a stream that cannot be saved</source>
        <translation>这首歌只提供无法保存的在线流</translation>
    </message>
    <message>
        <source>the server rejected the username or password</source>
        <translation>服务器拒绝了用户名或密码</translation>
    </message>
    <message>
        <source>the server does not accept token sign-in for this user</source>
        <translation>服务器不接受该用户使用令牌登录</translation>
    </message>
    <message>
        <source>the server does not support this way of signing in</source>
        <translation>服务器不支持这种登录方式</translation>
    </message>
    <message>
        <source>the server received conflicting sign-in details</source>
        <translation>服务器收到了相互矛盾的登录信息</translation>
    </message>
    <message>
        <source>the server rejected the API key</source>
        <translation>服务器拒绝了 API 密钥</translation>
    </message>
    <message>
        <source>no password is stored for this server</source>
        <translation>没有保存此服务器的密码</translation>
    </message>
    <message>
        <source>the server does not allow this user to do that</source>
        <translation>服务器不允许该用户执行此操作</translation>
    </message>
    <message>
        <source>the server&apos;s trial period is over</source>
        <translation>服务器的试用期已结束</translation>
    </message>
    <message>
        <source>the server needs a newer client protocol version</source>
        <translation>服务器需要更新的客户端协议版本</translation>
    </message>
    <message>
        <source>the server is too old for this request</source>
        <translation>服务器版本过旧，无法处理此请求</translation>
    </message>
    <message>
        <source>the server refused the request as incomplete</source>
        <translation>服务器认为请求不完整而拒绝</translation>
    </message>
    <message>
        <source>the server reported an error</source>
        <translation>服务器报告了错误</translation>
    </message>
    <message>
        <source>the server did not answer like a Subsonic server</source>
        <translation>服务器的响应不像 Subsonic 服务器</translation>
    </message>
    <message>
        <source>the file or playlist was not found</source>
        <translation>找不到文件或歌单</translation>
    </message>
    <message>
        <source>the playlist names a file that is not there</source>
        <translation>歌单中列出的文件不存在</translation>
    </message>
    <message>
        <source>the file did not arrive with the size it should have</source>
        <translation>收到的文件大小与预期不符</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the file could not be written</source>
        <translation>无法写入文件</translation>
    </message>
    <message>
        <source>a file could not be read or written</source>
        <translation>无法读取或写入文件</translation>
    </message>
    <message>
        <source>the song&apos;s file could not be read</source>
        <translation>无法读取歌曲文件</translation>
    </message>
    <message>
        <source>the file is no longer in the library</source>
        <translation>文件已不在曲库中</translation>
    </message>
    <message>
        <source>the target path is not allowed</source>
        <translation>不允许使用该目标路径</translation>
    </message>
    <message>
        <source>the folder is not available (is the share mounted?)</source>
        <translation>文件夹不可用（共享是否已挂载？）</translation>
    </message>
    <message>
        <source>the storage backend is of a kind this version does not know</source>
        <translation>此版本不认识该存储后端的类型</translation>
    </message>
    <message>
        <source>the file is not a readable playlist</source>
        <translation>该文件不是可读取的歌单</translation>
    </message>
    <message>
        <source>a playlist entry is neither a file nor a link</source>
        <translation>歌单中有一项既不是文件也不是链接</translation>
    </message>
    <message>
        <source>the playlist link is not one this source can read</source>
        <translation>此来源无法读取该歌单链接</translation>
    </message>
    <message>
        <source>the music platform is not supported</source>
        <translation>不支持该音乐平台</translation>
    </message>
    <message>
        <source>the source&apos;s settings are incomplete</source>
        <translation>来源的设置不完整</translation>
    </message>
    <message>
        <source>the demo playlist has no such entry</source>
        <translation>演示歌单中没有这一项</translation>
    </message>
    <message>
        <source>the source&apos;s playlists could not be listed</source>
        <translation>无法列出来源的歌单</translation>
    </message>
    <message>
        <source>the source has no location configured</source>
        <translation>来源未配置位置</translation>
    </message>
    <message>
        <source>the source is of a kind this version does not know</source>
        <translation>此版本不认识该来源的类型</translation>
    </message>
    <message>
        <source>nothing says which source to fetch it from</source>
        <translation>未指定从哪个来源获取</translation>
    </message>
    <message>
        <source>the source was removed</source>
        <translation>来源已被删除</translation>
    </message>
    <message>
        <source>the playlist was removed</source>
        <translation>歌单已被删除</translation>
    </message>
    <message>
        <source>the song was removed from the catalog</source>
        <translation>歌曲已从目录中删除</translation>
    </message>
    <message>
        <source>the demo server is not running</source>
        <translation>演示服务器未运行</translation>
    </message>
    <message>
        <source>the platform has no downloadable file for the song</source>
        <translation>平台上没有这首歌可下载的文件</translation>
    </message>
    <message>
        <source>musicdl is not installed</source>
        <translation>未安装 musicdl</translation>
    </message>
    <message>
        <source>musicdl could not be loaded</source>
        <translation>无法加载 musicdl</translation>
    </message>
    <message>
        <source>musicdl could not fetch it</source>
        <translation>musicdl 无法获取</translation>
    </message>
    <message>
        <source>musicdl returned nothing</source>
        <translation>musicdl 未返回任何结果</translation>
    </message>
    <message>
        <source>the publish target or the playlist was removed</source>
        <translation>发布目标或歌单已被删除</translation>
    </message>
    <message>
        <source>the server did not confirm the playlist</source>
        <translation>服务器未确认该歌单</translation>
    </message>
    <message>
        <source>the publish target names a source that is gone</source>
        <translation>发布目标指向的来源已不存在</translation>
    </message>
    <message>
        <source>the export folder does not exist</source>
        <translation>导出文件夹不存在</translation>
    </message>
    <message>
        <source>the export folder cannot be written</source>
        <translation>无法写入导出文件夹</translation>
    </message>
    <message>
        <source>the playlist file cannot be written</source>
        <translation>无法写入歌单文件</translation>
    </message>
    <message>
        <source>the task names something it cannot do</source>
        <translation>任务包含无法执行的内容</translation>
    </message>
    <message>
        <source>an internal error occurred (details in the log)</source>
        <translation>发生内部错误（详情见日志）</translation>
    </message>
    <message>
        <source>the WebDAV server rejected the username or password</source>
        <translation>WebDAV 服务器拒绝了用户名或密码</translation>
    </message>
    <message>
        <source>the upload target is out of space</source>
        <translation>上传目标空间不足</translation>
    </message>
    <message>
        <source>the server asks for a valid username and password</source>
        <translation>服务器要求提供有效的用户名和密码</translation>
    </message>
    <message>
        <source>the server refuses access to the file</source>
        <translation>服务器拒绝访问该文件</translation>
    </message>
    <message>
        <source>the file does not exist on the server (it may have been removed or the link expired)</source>
        <translation>服务器上不存在该文件（可能已被删除或链接已过期）</translation>
    </message>
    <message>
        <source>the file is gone from the server for good</source>
        <translation>该文件已从服务器上永久删除</translation>
    </message>
    <message>
        <source>the server cannot serve the requested part of the file</source>
        <translation>服务器无法提供文件的请求部分</translation>
    </message>
    <message>
        <source>the server is busy and asks to try again later</source>
        <translation>服务器繁忙，请稍后重试</translation>
    </message>
    <message>
        <source>the server had an internal problem</source>
        <translation>服务器内部出错</translation>
    </message>
    <message>
        <source>the server rejected the request</source>
        <translation>服务器拒绝了请求</translation>
    </message>
    <message>
        <source>an error occurred that this version cannot describe</source>
        <translation>发生了此版本无法描述的错误</translation>
    </message>
    <message>
        <source>no reason was recorded</source>
        <translation>未记录原因</translation>
    </message>
</context>
<context>
    <name>EventTexts</name>
    <message>
        <source>{job} queued by {requested_by}</source>
        <translation>{job}，由{requested_by}加入队列</translation>
    </message>
    <message>
        <source>started by runner {runner}</source>
        <translation>由运行器 {runner} 启动</translation>
    </message>
    <message>
        <source>continued by runner {runner}</source>
        <translation>由运行器 {runner} 继续执行</translation>
    </message>
    <message>
        <source>continued by runner {runner} (runner {old} stopped)</source>
        <translation>由运行器 {runner} 继续执行（运行器 {old} 已停止）</translation>
    </message>
    <message>
        <source>paused (the runner stopped while pausing)</source>
        <translation>已暂停（运行器在暂停过程中停止）</translation>
    </message>
    <message>
        <source>paused (its runner stopped while pausing)</source>
        <translation>已暂停（其运行器在暂停过程中停止）</translation>
    </message>
    <message>
        <source>paused before it started</source>
        <translation>在开始前已暂停</translation>
    </message>
    <message>
        <source>pause requested</source>
        <translation>已请求暂停</translation>
    </message>
    <message>
        <source>job paused</source>
        <translation>任务已暂停</translation>
    </message>
    <message>
        <source>job paused; partial files kept for resume</source>
        <translation>任务已暂停；保留未完成的文件以便继续</translation>
    </message>
    <message>
        <source>paused: {error}</source>
        <translation>已暂停：{error}</translation>
    </message>
    <message>
        <source>resumed; waiting for its lane</source>
        <translation>已继续；等待通道空闲</translation>
    </message>
    <message>
        <source>job canceled</source>
        <translation>任务已取消</translation>
    </message>
    <message>
        <source>job {status}</source>
        <translation>任务{status}</translation>
    </message>
    <message>
        <source>job {status}: {summary}</source>
        <translation>任务{status}：{summary}</translation>
    </message>
    <message>
        <source>job {status}: nothing to do</source>
        <translation>任务{status}：无事可做</translation>
    </message>
    <message>
        <source>job failed: {error}</source>
        <translation>任务失败：{error}</translation>
    </message>
    <message>
        <source>{count} failed items queued for retry</source>
        <translation>{count} 个失败项已排队重试</translation>
    </message>
    <message>
        <source>{count} failed items queued for retry; job queued</source>
        <translation>{count} 个失败项已排队重试；任务已加入队列</translation>
    </message>
    <message>
        <source>failed stage queued for retry</source>
        <translation>失败的阶段已排队重试</translation>
    </message>
    <message>
        <source>failed stage queued for retry; job queued</source>
        <translation>失败的阶段已排队重试；任务已加入队列</translation>
    </message>
    <message>
        <source>{name} queued for retry</source>
        <translation>{name} 已排队重试</translation>
    </message>
    <message>
        <source>{name} queued for retry; job queued</source>
        <translation>{name} 已排队重试；任务已加入队列</translation>
    </message>
    <message>
        <source>{stage}: {count} items</source>
        <translation>{stage}：{count} 项</translation>
    </message>
    <message>
        <source>{stage} {status}: {done} / {total} done</source>
        <translation>{stage}{status}：完成 {done} / {total}</translation>
    </message>
    <message>
        <source>{stage} {status}: {done} / {total} done, {failed} failed</source>
        <translation>{stage}{status}：完成 {done} / {total}，{failed} 个失败</translation>
    </message>
    <message>
        <source>server {host} unreachable, retrying at {time}</source>
        <translation>无法连接服务器 {host}，将于 {time} 重试</translation>
    </message>
    <message>
        <source>library root {root} unreachable ({reason}), retrying at {time}</source>
        <translation>无法访问曲库根目录 {root}（{reason}），将于 {time} 重试</translation>
    </message>
    <message>
        <source>{error}</source>
        <translation>{error}</translation>
    </message>
    <message>
        <source>library root {root} is not reachable (missing, empty or not mounted): its files were not checked</source>
        <translation>无法访问曲库根目录 {root}（不存在、为空或未挂载）：未检查其中的文件</translation>
    </message>
    <message>
        <source>{playlist}: {count} entries skipped: {reasons}</source>
        <translation>{playlist}：跳过了 {count} 个条目：{reasons}</translation>
    </message>
    <message>
        <source>{playlist}: {count} entries skipped: {reasons}; and {more} more</source>
        <translation>{playlist}：跳过了 {count} 个条目：{reasons}；另有 {more} 个</translation>
    </message>
    <message>
        <source>{playlist} -&gt; {target}: {found} of {total} songs published; {missing} not on the server: {songs}{more}</source>
        <translation>{playlist} -&gt; {target}：已发布 {found} / {total} 首歌曲；服务器上没有 {missing} 首：{songs}{more}</translation>
    </message>
    <message>
        <source>{kind}: {error}</source>
        <translation>内部错误（{kind}）：{error}</translation>
    </message>
    <message>
        <source>disk full: no library root has {needed} MB free (tried {tried})</source>
        <translation>磁盘已满：没有曲库根目录有 {needed} MB 可用空间（已尝试 {tried}）</translation>
    </message>
    <message>
        <source>nothing to publish to: the .m3u8 export is switched off and no publish target is configured (&apos;targets add ...&apos;)</source>
        <translation>没有可发布的目标：.m3u8 导出已关闭，也未配置发布目标（&apos;targets add ...&apos;）</translation>
    </message>
    <message>
        <source>no upload target is configured; add one with &apos;backends add --kind local|webdav ...&apos;</source>
        <translation>未配置上传目标；请用 &apos;backends add --kind local|webdav ...&apos; 添加</translation>
    </message>
    <message>
        <source>upload target(s) {targets} no longer exist</source>
        <translation>上传目标 {targets} 已不存在</translation>
    </message>
    <message>
        <source>cannot check what upload target {target} already holds: {error}</source>
        <translation>无法检查上传目标 {target} 中已有的内容：{error}</translation>
    </message>
    <message>
        <source>no executor for stage &apos;{stage}&apos;</source>
        <translation>没有可执行“{stage}”阶段的执行器</translation>
    </message>
    <message>
        <source>{folder} is not inside a library root ({roots}); add it as a library root in Settings or use --library</source>
        <translation>{folder} 不在任何曲库根目录（{roots}）之内；请在设置中将其添加为曲库根目录，或使用 --library</translation>
    </message>
    <message>
        <source>no default library root is configured (use --library DIR)</source>
        <translation>未配置默认曲库根目录（使用 --library DIR）</translation>
    </message>
    <message>
        <source>no library root is reachable: {roots}</source>
        <translation>无法访问任何曲库根目录：{roots}</translation>
    </message>
    <message>
        <source>moved to place {place} of {count} in the {lane} lane&apos;s queue</source>
        <translation>已移到{lane}通道队列的第 {place} 位（共 {count} 个）</translation>
    </message>
    <message>
        <source>schedule {schedule}: the run due at {due} was skipped because this job is still {status}</source>
        <translation>计划 {schedule}：已跳过 {due} 的运行，因为此任务仍处于“{status}”状态</translation>
    </message>
    <message>
        <source>webhook {url}: {detail}</source>
        <translation>Webhook {url}：{detail}</translation>
    </message>
    <message>
        <source>webhook {url}: failed after {count} attempts ({detail})</source>
        <translation>Webhook {url}：尝试 {count} 次后失败（{detail}）</translation>
    </message>
    <message>
        <source>continued after the database was unreachable for {seconds} s ({reason})</source>
        <translation>数据库中断 {seconds} 秒后继续（{reason}）</translation>
    </message>
    <message>
        <source>{songs} songs</source>
        <translation>{songs} 首歌曲</translation>
    </message>
    <message>
        <source>{songs} songs, {skipped} entries skipped</source>
        <translation>{songs} 首歌曲，跳过了 {skipped} 个条目</translation>
    </message>
    <message>
        <source>nothing to collect (no locations)</source>
        <translation>没有可采集的内容（未配置位置）</translation>
    </message>
    <message>
        <source>{count} playlists</source>
        <translation>{count} 个歌单</translation>
    </message>
    <message>
        <source>already in the library</source>
        <translation>已在曲库中</translation>
    </message>
    <message>
        <source>already in the library as {path} (matched by {matched_by})</source>
        <translation>已在曲库中：{path}（按{matched_by}匹配）</translation>
    </message>
    <message>
        <source>{exported} of {total} songs in {file} (written)</source>
        <translation>{file} 中有 {exported} / {total} 首歌曲（已写入）</translation>
    </message>
    <message>
        <source>{exported} of {total} songs in {file} (unchanged)</source>
        <translation>{file} 中有 {exported} / {total} 首歌曲（未改变）</translation>
    </message>
    <message>
        <source>{found} of {total} songs published</source>
        <translation>已发布 {found} / {total} 首歌曲</translation>
    </message>
    <message>
        <source>{published} ({rescan})</source>
        <translation>{published}（{rescan}）</translation>
    </message>
    <message>
        <source>rescanned</source>
        <translation>已重新扫描</translation>
    </message>
    <message>
        <source>rescanned ({count} files)</source>
        <translation>已重新扫描（{count} 个文件）</translation>
    </message>
    <message>
        <source>rescan still running after {minutes} min; went on</source>
        <translation>{minutes} 分钟后重新扫描仍在进行；已继续</translation>
    </message>
    <message>
        <source>not rescanned ({error})</source>
        <translation>未重新扫描（{error}）</translation>
    </message>
    <message>
        <source>{summary}; {rate}{linked}</source>
        <translation>{summary}；{rate}{linked}</translation>
    </message>
    <message>
        <source>root not reachable: nothing checked; {rate}{linked}</source>
        <translation>无法访问根目录：未检查任何文件；{rate}{linked}</translation>
    </message>
    <message>
        <source>nothing to remove</source>
        <translation>没有可删除的内容</translation>
    </message>
    <message>
        <source>removed {file}</source>
        <translation>已删除 {file}</translation>
    </message>
    <message>
        <source>kept {file}: it was changed outside CatalogSync</source>
        <translation>保留了 {file}：它在 CatalogSync 之外被修改过</translation>
    </message>
    <message>
        <source>{file} was already gone</source>
        <translation>{file} 已不存在</translation>
    </message>
    <message>
        <source>ignored malformed line {line}</source>
        <translation>忽略了格式错误的行 {line}</translation>
    </message>
    <message>
        <source>entry {number} has no File{number}= line; skipped</source>
        <translation>第 {number} 项没有 File{number}= 行；已跳过</translation>
    </message>
    <message>
        <source>unescaped &apos;&amp;&apos; characters were read as &apos;&amp;amp;&apos;</source>
        <translation>未转义的“&amp;”字符已按“&amp;amp;”读取</translation>
    </message>
    <message>
        <source>track {number} has no &lt;location&gt;; skipped</source>
        <translation>第 {number} 首没有 &lt;location&gt;；已跳过</translation>
    </message>
    <message>
        <source>line {line}: {error}</source>
        <translation>第 {line} 行：{error}</translation>
    </message>
    <message>
        <source>entry: {error}</source>
        <translation>条目：{error}</translation>
    </message>
    <message>
        <source>line {line}: {location} is neither a URL nor a file path; skipped</source>
        <translation>第 {line} 行：{location} 既不是链接也不是文件路径；已跳过</translation>
    </message>
    <message>
        <source>entry: {location} is neither a URL nor a file path; skipped</source>
        <translation>条目：{location} 既不是链接也不是文件路径；已跳过</translation>
    </message>
    <message>
        <source>not reachable (missing or not mounted)</source>
        <translation>无法访问（不存在或未挂载）</translation>
    </message>
    <message>
        <source>cannot check free space ({error})</source>
        <translation>无法检查可用空间（{error}）</translation>
    </message>
    <message>
        <source>{free} MB free</source>
        <translation>可用 {free} MB</translation>
    </message>
    <message>
        <source>{free} MB free after a write failed ({error})</source>
        <translation>写入失败后可用 {free} MB（{error}）</translation>
    </message>
    <message>
        <source>missing or not mounted</source>
        <translation>不存在或未挂载</translation>
    </message>
    <message>
        <source>; renamed from {file}</source>
        <translation>；由 {file} 改名而来</translation>
    </message>
    <message>
        <source>; {missing} not in the library yet</source>
        <translation>；{missing} 首尚未在曲库中</translation>
    </message>
    <message>
        <source>; {missing} not on the server: {songs}</source>
        <translation>；服务器上没有 {missing} 首：{songs}</translation>
    </message>
    <message>
        <source> and {more} more</source>
        <translation> 等另外 {more} 首</translation>
    </message>
    <message>
        <source>{n} succeeded</source>
        <translation>{n} 个成功</translation>
    </message>
    <message>
        <source>{n} skipped</source>
        <translation>{n} 个跳过</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>{n} 个失败</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{root}: {reason}</source>
        <translation>{root}：{reason}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{n} files</source>
        <translation>{n} 个文件</translation>
    </message>
    <message>
        <source>{n} new</source>
        <translation>{n} 个新增</translation>
    </message>
    <message>
        <source>{n} changed</source>
        <translation>{n} 个有改动</translation>
    </message>
    <message>
        <source>{n} back</source>
        <translation>{n} 个重新出现</translation>
    </message>
    <message>
        <source>{n} gone</source>
        <translation>{n} 个已消失</translation>
    </message>
    <message>
        <source>{seen} files</source>
        <translation>共 {seen} 个文件</translation>
    </message>
    <message>
        <source>{seen} files, {per_second} files/s</source>
        <translation>共 {seen} 个文件，每秒 {per_second} 个</translation>
    </message>
    <message>
        <source>; {linked} catalog songs linked to library files</source>
        <translation>；{linked} 首目录歌曲已关联到曲库文件</translation>
    </message>
    <message>
        <source>the command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>the demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>the window ({who})</source>
        <translation>窗口（{who}）</translation>
    </message>
    <message>
        <source>schedule {id}</source>
        <translation>计划 {id}</translation>
    </message>
    <message>
        <source>the end of job {id}</source>
        <translation>任务 {id} 结束后</translation>
    </message>
    <message>
        <source>MusicBrainz id</source>
        <translation>MusicBrainz ID</translation>
    </message>
    <message>
        <source>title and artist</source>
        <translation>标题和艺人</translation>
    </message>
</context>
<context>
    <name>FallbackPage</name>
    <message>
        <source>Fallback sources</source>
        <translation>备选来源</translation>
    </message>
    <message>
        <source>When a song&apos;s own source cannot deliver it, downloads ask these sources, top first. Greyed sources cannot search (the tooltip says why); unchecked sources are skipped.</source>
        <translation>当歌曲自己的来源无法提供时，下载会从上到下依次向这些来源查找。灰色的来源无法搜索（原因见提示）；未勾选的来源会被跳过。</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Same recording</source>
        <translation>同一录音</translation>
    </message>
    <message>
        <source>A remaster counts as the same recording (“Song - Remastered 2011” is “Song”)</source>
        <translation>重制版算作同一录音（“歌名 - Remastered 2011”即“歌名”）</translation>
    </message>
    <message>
        <source>A radio edit counts as the same recording (“Song (Radio Edit)” is “Song”)</source>
        <translation>电台版算作同一录音（“歌名 (Radio Edit)”即“歌名”）</translation>
    </message>
    <message>
        <source>Decides which songs are already in the library; changing it re-checks the library at the next scan or download.</source>
        <translation>决定哪些歌曲已在曲库中；修改后会在下次扫描或下载时重新核对曲库。</translation>
    </message>
    <message>
        <source>Collect and downloads skip this source (unchecked on Sources)</source>
        <translation>采集和下载会跳过此来源（在“来源”页未勾选）</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Playlist files</source>
        <translation>歌单文件</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Subsonic</source>
        <translation>Subsonic</translation>
    </message>
    <message>
        <source>local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>general</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
    <message>
        <source>{m} min {s} s</source>
        <translation>{m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} 分钟</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} 小时</translation>
    </message>
    <message>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <source>{d} d</source>
        <translation>{d} 天</translation>
    </message>
    <message>
        <source>{done} / {total} {unit}</source>
        <translation>{done} / {total} {unit}</translation>
    </message>
    <message>
        <source>, {n} failed</source>
        <translation>，{n} 个失败</translation>
    </message>
    <message>
        <source>{left} of {total} {unit} left</source>
        <translation>剩余 {left} / {total} {unit}</translation>
    </message>
    <message>
        <source>{left} of {total} {unit}, {amount} left</source>
        <translation>剩余 {left} / {total} {unit}，{amount}</translation>
    </message>
    <message>
        <source>, about {time}</source>
        <translation>，约 {time}</translation>
    </message>
    <message>
        <source>took {time}</source>
        <translation>用时 {time}</translation>
    </message>
    <message>
        <source>, {speed} on average</source>
        <translation>，平均 {speed}</translation>
    </message>
    <message>
        <source>queued #{n}</source>
        <translation>排队第 {n} 位</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>1 playlist</source>
        <translation>1 个歌单</translation>
    </message>
    <message>
        <source>{n} playlists</source>
        <translation>{n} 个歌单</translation>
    </message>
    <message>
        <source>1 source</source>
        <translation>1 个来源</translation>
    </message>
    <message>
        <source>{n} sources</source>
        <translation>{n} 个来源</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>所有来源</translation>
    </message>
    <message>
        <source>Running {n}</source>
        <translation>正在下载 {n} 首</translation>
    </message>
    <message>
        <source>sync failed: {reason}</source>
        <translation>同步失败：{reason}</translation>
    </message>
    <message>
        <source>0 songs, sync recommended</source>
        <translation>0 首歌曲，建议同步</translation>
    </message>
    <message>
        <source>{cause} ({message})</source>
        <translation>{cause}（{message}）</translation>
    </message>
    <message>
        <source>{text} (and similar)</source>
        <translation>{text}（及类似错误）</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>{n} 个失败</translation>
    </message>
    <message>
        <source>{n} other causes ({count})</source>
        <translation>其他 {n} 种原因（{count}）</translation>
    </message>
    <message>
        <source>1 other cause ({count})</source>
        <translation>其他 1 种原因（{count}）</translation>
    </message>
    <message>
        <source>{n} failed: {causes}</source>
        <translation>{n} 个失败：{causes}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>empty playlist path or URL</source>
        <translation>歌单路径或链接为空</translation>
    </message>
    <message>
        <source>{location}: only http(s) URLs and local files can be added</source>
        <translation>{location}：只能添加 http(s) 链接和本地文件</translation>
    </message>
    <message>
        <source>{location} is a folder; add it as a source in Settings</source>
        <translation>{location} 是文件夹；请在“设置”中把它添加为来源</translation>
    </message>
    <message>
        <source>{location}: no such file</source>
        <translation>{location}：文件不存在</translation>
    </message>
    <message>
        <source>{location} is not a playlist file ({suffixes})</source>
        <translation>{location} 不是歌单文件（{suffixes}）</translation>
    </message>
    <message>
        <source>{location}: cannot read ({reason})</source>
        <translation>{location}：无法读取（{reason}）</translation>
    </message>
    <message>
        <source>{location}: {reason}</source>
        <translation>{location}：{reason}</translation>
    </message>
    <message>
        <source>change notifications lost ({reason}); polling</source>
        <translation>更改通知已中断（{reason}）；改为定时刷新</translation>
    </message>
</context>
<context>
    <name>InputTexts</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <source>Playlist URLs</source>
        <translation>歌单链接</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>间隔</translation>
    </message>
    <message>
        <source>Cron</source>
        <translation>Cron</translation>
    </message>
    <message>
        <source>playlist files</source>
        <translation>歌单文件</translation>
    </message>
    <message>
        <source>Subsonic server</source>
        <translation>Subsonic 服务器</translation>
    </message>
    <message>
        <source>music platform</source>
        <translation>音乐平台</translation>
    </message>
    <message>
        <source>demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>WebDAV server</source>
        <translation>WebDAV 服务器</translation>
    </message>
    <message>
        <source>“{field}” {text}: use a duration such as 30m, 6h, 1d or 1h30m</source>
        <translation>“{field}” {text}：请使用 30m、6h、1d 或 1h30m 这样的时长</translation>
    </message>
    <message>
        <source>“{every}” {text}: the shortest interval is 1 minute</source>
        <translation>“{every}” {text}：最短间隔为 1 分钟</translation>
    </message>
    <message>
        <source>“{cron}” {text}: not a cron expression of five fields (minute hour day month weekday), e.g. 0 */6 * * *</source>
        <translation>“{cron}” {text}：不是五个字段（分 时 日 月 星期）的 cron 表达式，例如 0 */6 * * *</translation>
    </message>
    <message>
        <source>a schedule needs “{every}” or “{cron}”</source>
        <translation>计划需要填写“{every}”或“{cron}”</translation>
    </message>
    <message>
        <source>choose exactly one of “{every}” or “{cron}”</source>
        <translation>请在“{every}”和“{cron}”中只选一个</translation>
    </message>
    <message>
        <source>unknown job type {job_type}; choose one of {kinds}</source>
        <translation>未知的任务类型 {job_type}；请从 {kinds} 中选择</translation>
    </message>
    <message>
        <source>schedule {id} no longer exists</source>
        <translation>计划 {id} 已不存在</translation>
    </message>
    <message>
        <source>“{playlists}” takes playlist ids separated by commas, not {part}</source>
        <translation>“{playlists}”需要用逗号分隔的歌单编号，而不是 {part}</translation>
    </message>
    <message>
        <source>“{name}” must not be empty</source>
        <translation>“{name}”不能为空</translation>
    </message>
    <message>
        <source>unknown kind {kind}; use one of {kinds}</source>
        <translation>未知的类型 {kind}；可用的类型：{kinds}</translation>
    </message>
    <message>
        <source>the demo source cannot be added here; start the app in demo mode</source>
        <translation>演示来源不能在此添加；请以演示模式启动程序</translation>
    </message>
    <message>
        <source>“{field}” needs at least one entry</source>
        <translation>“{field}”至少需要填写一项</translation>
    </message>
    <message>
        <source>“{server}” must be one address starting with http:// or https://</source>
        <translation>“{server}”必须是一个以 http:// 或 https:// 开头的地址</translation>
    </message>
    <message>
        <source>choose a “{platform}”: one of {platforms}</source>
        <translation>请选择“{platform}”：{platforms} 之一</translation>
    </message>
    <message>
        <source>“{user}” and “{password}” are not used for {kind}</source>
        <translation>{kind}不使用“{user}”和“{password}”</translation>
    </message>
    <message>
        <source>enter the “{user}” and “{password}”, or sign in with an “{api_key}”</source>
        <translation>请填写“{user}”和“{password}”，或使用“{api_key}”登录</translation>
    </message>
    <message>
        <source>enter the “{password}”</source>
        <translation>请填写“{password}”</translation>
    </message>
    <message>
        <source>enter a “{password}” or an “{api_key}”, not both</source>
        <translation>“{password}”和“{api_key}”只能填写其中一个</translation>
    </message>
    <message>
        <source>enter the “{field}”: none is stored for this source</source>
        <translation>请填写“{field}”：此来源尚未保存</translation>
    </message>
    <message>
        <source>a source named “{value}” already exists</source>
        <translation>已有名为“{value}”的来源</translation>
    </message>
    <message>
        <source>a {old} source cannot become a {new} source; add a new one instead</source>
        <translation>{old}来源不能改为{new}来源；请另外添加一个新来源</translation>
    </message>
    <message>
        <source>this source no longer exists (removed meanwhile)</source>
        <translation>此来源已不存在（已被删除）</translation>
    </message>
    <message>
        <source>there is no source named “{value}”</source>
        <translation>没有名为“{value}”的来源</translation>
    </message>
    <message>
        <source>the folder {folder} does not exist (create or mount it first)</source>
        <translation>文件夹 {folder} 不存在（请先创建或挂载）</translation>
    </message>
    <message>
        <source>“{location}” {value} is not an address starting with http:// or https://</source>
        <translation>“{location}”{value} 不是以 http:// 或 https:// 开头的地址</translation>
    </message>
    <message>
        <source>a “{password}” needs a “{user}”</source>
        <translation>填写“{password}”时必须填写“{user}”</translation>
    </message>
    <message>
        <source>an upload target or library root named “{value}” exists already</source>
        <translation>已有名为“{value}”的上传目标或曲库根目录</translation>
    </message>
    <message>
        <source>a {old} target cannot become a {new} target; add a new one instead</source>
        <translation>{old}上传目标不能改为{new}上传目标；请另外添加一个新目标</translation>
    </message>
    <message>
        <source>this upload target no longer exists (removed meanwhile)</source>
        <translation>此上传目标已不存在（已被删除）</translation>
    </message>
    <message>
        <source>there is no upload target named “{value}”</source>
        <translation>没有名为“{value}”的上传目标</translation>
    </message>
    <message>
        <source>{value} is a library root, not an upload target; change it in the Library settings</source>
        <translation>{value} 是曲库根目录，不是上传目标；请在“曲库”设置中修改</translation>
    </message>
    <message>
        <source>there is no playlist with id {ids} (removed meanwhile)</source>
        <translation>没有编号为 {ids} 的歌单（已被删除）</translation>
    </message>
    <message>
        <source>no library root is set up; choose one in the Library settings</source>
        <translation>尚未设置曲库根目录；请在“曲库”设置中选择</translation>
    </message>
    <message>
        <source>the WebDAV server {url} rejected the “{user}” or “{password}”</source>
        <translation>WebDAV 服务器 {url} 拒绝了此“{user}”或“{password}”</translation>
    </message>
    <message>
        <source>the WebDAV server {url} asks for a “{user}” and “{password}”</source>
        <translation>WebDAV 服务器 {url} 要求填写“{user}”和“{password}”</translation>
    </message>
    <message>
        <source>the WebDAV server refuses access to {path} (HTTP 403)</source>
        <translation>WebDAV 服务器拒绝访问 {path}（HTTP 403）</translation>
    </message>
    <message>
        <source>{url} does not answer like a WebDAV server (HTTP {status} to PROPFIND)</source>
        <translation>{url} 的应答不像 WebDAV 服务器（PROPFIND 请求返回 HTTP {status}）</translation>
    </message>
    <message>
        <source>the WebDAV server&apos;s answer cannot be read: {error}</source>
        <translation>无法读取 WebDAV 服务器的应答：{error}</translation>
    </message>
    <message>
        <source>the folder {path} does not exist on the WebDAV server and could not be created (HTTP {status} to MKCOL)</source>
        <translation>WebDAV 服务器上没有文件夹 {path}，也无法创建（MKCOL 请求返回 HTTP {status}）</translation>
    </message>
    <message>
        <source>{file} is a file on the WebDAV server, not a folder, so {path} cannot be used</source>
        <translation>{file} 在 WebDAV 服务器上是文件而不是文件夹，因此无法使用 {path}</translation>
    </message>
    <message>
        <source>the WebDAV server {host} has no folder at {path} or above it</source>
        <translation>WebDAV 服务器 {host} 上的 {path} 及其各级上级都不是文件夹</translation>
    </message>
    <message>
        <source>cannot reach the WebDAV server: {error}</source>
        <translation>无法连接 WebDAV 服务器：{error}</translation>
    </message>
    <message>
        <source>{location} does not exist (yet); collecting this source fails until it does</source>
        <translation>{location}（暂时）不存在；在它存在之前，采集此来源会失败</translation>
    </message>
    <message>
        <source>created the folder {folder} on the WebDAV server</source>
        <translation>已在 WebDAV 服务器上创建文件夹 {folder}</translation>
    </message>
</context>
<context>
    <name>ItemsPane</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Copy error</source>
        <translation>复制错误</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>%1 of %2 items</source>
        <translation>%1 / %2 项</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>%s queued for retry</source>
        <translation>%s 已加入重试队列</translation>
    </message>
    <message>
        <source>%s is no longer failed</source>
        <translation>%s 已不再是失败状态</translation>
    </message>
    <message>
        <source>Error copied</source>
        <translation>错误已复制</translation>
    </message>
</context>
<context>
    <name>JobDetailPane</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Failed items</source>
        <translation>失败项</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>全部项目</translation>
    </message>
    <message numerus="yes">
        <source>Failed items (%n)</source>
        <translation>
            <numerusform>失败项（%n）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>JobItemsModel</name>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>JobNames</name>
    <message>
        <source>Full Pipeline</source>
        <translation>完整流程</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>采集</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Sync Selected Playlists</source>
        <translation>同步所选歌单</translation>
    </message>
    <message>
        <source>Sync Then Download All</source>
        <translation>同步后下载全部</translation>
    </message>
    <message>
        <source>Sync Then Download</source>
        <translation>同步后下载</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Download Selected Playlists</source>
        <translation>下载所选歌单</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>Download Then Upload</source>
        <translation>下载后上传</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Scan Library</source>
        <translation>扫描曲库</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CatalogSync — %s</source>
        <translation>CatalogSync — %s</translation>
    </message>
    <message>
        <source>Task Center</source>
        <translation>任务中心</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <source>Database: %s (%s)</source>
        <translation>数据库：%s（%s）</translation>
    </message>
    <message>
        <source>journal %s, synchronous %s, filesystem %s</source>
        <translation>日志模式 %s，同步 %s，文件系统 %s</translation>
    </message>
    <message>
        <source>Total speed: -</source>
        <translation>总速度：-</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Alternative speed</source>
        <translation>备用限速</translation>
    </message>
    <message>
        <source>Use the alternative bandwidth limits (Settings) instead of the normal ones</source>
        <translation>使用备用带宽限制（见设置）代替常规限制</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>加入队列</translation>
    </message>
    <message>
        <source>&amp;Playlists</source>
        <translation>歌单(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About CatalogSync</source>
        <translation>关于 CatalogSync</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>CatalogSync</source>
        <translation>CatalogSync</translation>
    </message>
    <message>
        <source>Last runner heartbeat: %s</source>
        <translation>运行器最后心跳：%s</translation>
    </message>
    <message>
        <source>No process holds the runner lease</source>
        <translation>没有进程持有运行器租约</translation>
    </message>
    <message>
        <source>Next run: %s at %s</source>
        <translation>下次运行：%s，%s</translation>
    </message>
    <message>
        <source>Schedule %d, %s</source>
        <translation>计划 %d，%s</translation>
    </message>
    <message>
        <source>Total speed: %s</source>
        <translation>总速度：%s</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Alternative limit: %s down, %s up</source>
        <translation>备用限速：下载 %s，上传 %s</translation>
    </message>
    <message>
        <source>Limit: %s down, %s up</source>
        <translation>限速：下载 %s，上传 %s</translation>
    </message>
    <message>
        <source>Bandwidth limits of the jobs this computer runs (Settings; the alternative-speed toggle)</source>
        <translation>本机运行任务的带宽限制（见设置；可用备用限速开关切换）</translation>
    </message>
    <message>
        <source>Alternative speed limits on</source>
        <translation>已启用备用限速</translation>
    </message>
    <message>
        <source>Alternative speed limits off</source>
        <translation>已关闭备用限速</translation>
    </message>
    <message>
        <source>Job %d: %s</source>
        <translation>任务 %d：%s</translation>
    </message>
    <message>
        <source>Jobs run on: this computer</source>
        <translation>任务运行于：本机</translation>
    </message>
    <message>
        <source>Jobs run on: %s</source>
        <translation>任务运行于：%s</translation>
    </message>
    <message>
        <source>Jobs run on: no runner (queued jobs wait)</source>
        <translation>任务运行于：无运行器（排队中的任务将等待）</translation>
    </message>
    <message>
        <source>Disconnected from %s. Showing the last data read; retrying every %d s.</source>
        <translation>与 %s 的连接已断开。显示的是最后读取的数据；每 %d 秒重试一次。</translation>
    </message>
    <message>
        <source>Reconnected to %s</source>
        <translation>已重新连接到 %s</translation>
    </message>
    <message>
        <source>Unexpected error: %s</source>
        <translation>意外错误：%s</translation>
    </message>
    <message>
        <source>CatalogSync %s
Syncs music playlists into a catalog and a NAS library.</source>
        <translation>CatalogSync %s
将音乐歌单同步到目录和 NAS 曲库。</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>PlaylistKinds</name>
    <message>
        <source>Playlist file</source>
        <translation>歌单文件</translation>
    </message>
    <message>
        <source>Server playlist</source>
        <translation>服务器歌单</translation>
    </message>
    <message>
        <source>Playlist link</source>
        <translation>歌单链接</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
</context>
<context>
    <name>PlaylistSongsDialog</name>
    <message>
        <source>Songs of %s</source>
        <translation>%s 的歌曲</translation>
    </message>
    <message>
        <source>Filter by title, artist, album or state</source>
        <translation>按标题、歌手、专辑或状态筛选</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Copy error</source>
        <translation>复制错误</translation>
    </message>
    <message>
        <source>%1 songs, %2 in the library</source>
        <translation>%1 首歌曲，%2 首已在曲库</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>显示 %1 / %2</translation>
    </message>
    <message>
        <source>%s queued for retry</source>
        <translation>%s 已加入重试队列</translation>
    </message>
    <message>
        <source>%s is no longer failed</source>
        <translation>%s 已不再是失败状态</translation>
    </message>
    <message>
        <source>Error copied</source>
        <translation>错误已复制</translation>
    </message>
</context>
<context>
    <name>PlaylistSongsModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>歌手</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>missing since %s</source>
        <translation>自 %s 起缺失</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <source>downloading %s</source>
        <translation>下载中 %s</translation>
    </message>
    <message>
        <source>in library</source>
        <translation>已在曲库</translation>
    </message>
    <message>
        <source>failed: %s</source>
        <translation>失败：%s</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not wanted</source>
        <translation>不需要</translation>
    </message>
    <message>
        <source>waiting for download</source>
        <translation>等待下载</translation>
    </message>
</context>
<context>
    <name>PlaylistTableModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Songs</source>
        <translation>歌曲</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地已有</translation>
    </message>
    <message>
        <source>Wanted</source>
        <translation>需要</translation>
    </message>
    <message>
        <source>Last synced</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>PlaylistView</name>
    <message>
        <source>No playlists yet. Drop playlist files (M3U, PLS, XSPF) here, paste a playlist URL with Ctrl+V, or run Collect to list the playlists of your sources.</source>
        <translation>还没有歌单。把歌单文件（M3U、PLS、XSPF）拖到这里，用 Ctrl+V 粘贴歌单链接，或运行“采集”列出来源中的歌单。</translation>
    </message>
    <message>
        <source>No playlist matches the filter.</source>
        <translation>没有符合筛选条件的歌单。</translation>
    </message>
</context>
<context>
    <name>PlaylistsTab</name>
    <message>
        <source>Sync Selected Playlists</source>
        <translation>同步所选歌单</translation>
    </message>
    <message>
        <source>Download Selected Playlists</source>
        <translation>下载所选歌单</translation>
    </message>
    <message>
        <source>Sync Then Download</source>
        <translation>同步后下载</translation>
    </message>
    <message>
        <source>Mark Wanted</source>
        <translation>标记为需要</translation>
    </message>
    <message>
        <source>Unmark Wanted</source>
        <translation>取消需要</translation>
    </message>
    <message>
        <source>Filter by name, source, kind or status</source>
        <translation>按名称、来源、类型或状态筛选</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Add playlist…</source>
        <translation>添加歌单…</translation>
    </message>
    <message>
        <source>Add a playlist file or URL (or drop files here, or paste a URL with Ctrl+V)</source>
        <translation>添加歌单文件或链接（也可以把文件拖到这里，或用 Ctrl+V 粘贴链接）</translation>
    </message>
    <message>
        <source>Paste playlist URL</source>
        <translation>粘贴歌单链接</translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>已选 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n playlist(s) marked wanted</source>
        <translation>
            <numerusform>已将 %n 个歌单标记为需要</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n playlist(s) marked unwanted</source>
        <translation>
            <numerusform>已将 %n 个歌单标记为不需要</numerusform>
        </translation>
    </message>
    <message>
        <source>The clipboard holds no playlist URL</source>
        <translation>剪贴板中没有歌单链接</translation>
    </message>
    <message numerus="yes">
        <source>%n playlist(s) added</source>
        <translation>
            <numerusform>已添加 %n 个歌单</numerusform>
        </translation>
    </message>
    <message>
        <source>Not added: %s</source>
        <translation>未添加：%s</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <source>Edit schedule</source>
        <translation>编辑计划</translation>
    </message>
    <message>
        <source>Add schedule</source>
        <translation>添加计划</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>间隔</translation>
    </message>
    <message>
        <source>Cron</source>
        <translation>Cron</translation>
    </message>
    <message>
        <source>e.g. 30m, 6h, 1d</source>
        <translation>例如 30m、6h、1d</translation>
    </message>
    <message>
        <source>e.g. 0 */6 * * * (local time)</source>
        <translation>例如 0 */6 * * *（本地时间）</translation>
    </message>
    <message>
        <source>playlist ids, e.g. 3, 1 (empty: all wanted)</source>
        <translation>歌单 ID，例如 3, 1（留空：所有需要的歌单）</translation>
    </message>
    <message>
        <source>Job:</source>
        <translation>任务：</translation>
    </message>
    <message>
        <source>Playlists:</source>
        <translation>歌单：</translation>
    </message>
</context>
<context>
    <name>SchedulesPanel</name>
    <message>
        <source>every %s</source>
        <translation>每 %s</translation>
    </message>
    <message>
        <source>cron %s</source>
        <translation>cron %s</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>下次运行</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>计划任务</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Checked schedules queue their job by themselves (the runner looks every few seconds); changes apply at once.</source>
        <translation>勾选的计划会自动把任务加入队列（运行器每隔几秒检查一次）；修改立即生效。</translation>
    </message>
    <message>
        <source>Checked: enabled</source>
        <translation>勾选：已启用</translation>
    </message>
    <message>
        <source>all wanted</source>
        <translation>所有需要的歌单</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Matching</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>Upload targets</source>
        <translation>上传目标</translation>
    </message>
    <message>
        <source>Publishing</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>计划任务</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>In use:</source>
        <translation>正在使用：</translation>
    </message>
    <message>
        <source>default location</source>
        <translation>默认位置</translation>
    </message>
    <message>
        <source>Open at next start:</source>
        <translation>下次启动时打开：</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>曲库</translation>
    </message>
    <message>
        <source>Default root:</source>
        <translation>默认根目录：</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Further roots:</source>
        <translation>其他根目录：</translation>
    </message>
    <message>
        <source>Used in this order when the default root is full</source>
        <translation>默认根目录已满时按此顺序使用</translation>
    </message>
    <message>
        <source>Runner on this computer</source>
        <translation>本机运行器</translation>
    </message>
    <message>
        <source>Download jobs at once:</source>
        <translation>同时运行的下载任务数：</translation>
    </message>
    <message>
        <source>Other jobs at once:</source>
        <translation>同时运行的其他任务数：</translation>
    </message>
    <message>
        <source>Parallel downloads per job:</source>
        <translation>每个任务的并行下载数：</translation>
    </message>
    <message>
        <source>Download limit:</source>
        <translation>下载限速：</translation>
    </message>
    <message>
        <source>Upload limit:</source>
        <translation>上传限速：</translation>
    </message>
    <message>
        <source>Alternative download limit:</source>
        <translation>备用下载限速：</translation>
    </message>
    <message>
        <source>Alternative upload limit:</source>
        <translation>备用上传限速：</translation>
    </message>
    <message>
        <source>Limits are shared by all downloads (or uploads) of this computer and apply at once; the toolbar&apos;s Alternative speed switches to the alternative ones.</source>
        <translation>限速由本机所有下载（或上传）共享，立即生效；工具栏的“备用限速”可切换到备用限制。</translation>
    </message>
    <message>
        <source>Jobs currently run on another computer; these values apply when this computer runs them.</source>
        <translation>任务目前在另一台电脑上运行；这些设置在本机运行任务时生效。</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Expand running jobs down to their workers</source>
        <translation>展开运行中的任务，直到显示下载线程</translation>
    </message>
    <message>
        <source>Publishing (by the runner)</source>
        <translation>发布（由运行器执行）</translation>
    </message>
    <message>
        <source>Publish playlists after downloads that changed the library</source>
        <translation>下载改变了曲库后发布歌单</translation>
    </message>
    <message>
        <source>Write .m3u8 playlist files</source>
        <translation>写入 .m3u8 歌单文件</translation>
    </message>
    <message>
        <source>default: &lt;default root&gt;/Playlists</source>
        <translation>默认：&lt;默认根目录&gt;/Playlists</translation>
    </message>
    <message>
        <source>Push playlists to the Subsonic targets (&apos;targets add&apos;)</source>
        <translation>将歌单推送到 Subsonic 目标（“targets add”）</translation>
    </message>
    <message>
        <source>Export folder:</source>
        <translation>导出文件夹：</translation>
    </message>
    <message>
        <source> KB/s</source>
        <translation> KB/s</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Add library root</source>
        <translation>添加曲库根目录</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
</context>
<context>
    <name>SettingsTexts</name>
    <message>
        <source>download jobs at once</source>
        <translation>同时运行的下载任务数</translation>
    </message>
    <message>
        <source>other jobs at once</source>
        <translation>同时运行的其他任务数</translation>
    </message>
    <message>
        <source>songs at once</source>
        <translation>同时下载的歌曲数</translation>
    </message>
    <message>
        <source>attempts per song</source>
        <translation>每首歌曲的尝试次数</translation>
    </message>
    <message>
        <source>the runner&apos;s tick</source>
        <translation>运行器的检查间隔</translation>
    </message>
    <message>
        <source>the lease takeover time</source>
        <translation>租约接管时间</translation>
    </message>
    <message>
        <source>the heartbeat interval</source>
        <translation>心跳间隔</translation>
    </message>
    <message>
        <source>the download limit</source>
        <translation>下载限速</translation>
    </message>
    <message>
        <source>the upload limit</source>
        <translation>上传限速</translation>
    </message>
    <message>
        <source>the alternative download limit</source>
        <translation>备用下载限速</translation>
    </message>
    <message>
        <source>the alternative upload limit</source>
        <translation>备用上传限速</translation>
    </message>
    <message>
        <source>the alternative speed switch</source>
        <translation>备用限速开关</translation>
    </message>
    <message>
        <source>the export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <source>publishing after downloads</source>
        <translation>下载后发布</translation>
    </message>
    <message>
        <source>the playlist file export</source>
        <translation>歌单文件导出</translation>
    </message>
    <message>
        <source>publishing to servers</source>
        <translation>发布到服务器</translation>
    </message>
    <message>
        <source>{name} must be on or off, got {value}</source>
        <translation>{name}只能是开或关，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a whole number from {low} to {high}, got {value}</source>
        <translation>{name}必须是 {low} 到 {high} 之间的整数，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be from {low} to {high}, got {value}</source>
        <translation>{name}必须在 {low} 到 {high} 之间，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a number above 0, got {value}</source>
        <translation>{name}必须是大于 0 的数，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a number of at least 0, got {value}</source>
        <translation>{name}必须是不小于 0 的数，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be at most a third of the lease takeover time ({takeover}), got {value}</source>
        <translation>{name}最多只能是租约接管时间（{takeover}）的三分之一，实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a whole number of KB/s from 0 (unlimited) to {high}, got {value}</source>
        <translation>{name}必须是 0（不限速）到 {high} 之间的整数（KB/s），实际为 {value}</translation>
    </message>
    <message>
        <source>{name} must be a folder path or empty</source>
        <translation>{name}必须是文件夹路径或留空</translation>
    </message>
    <message>
        <source>cannot read the settings file {path}: {reason}</source>
        <translation>无法读取设置文件 {path}：{reason}</translation>
    </message>
    <message>
        <source>the settings file {path} is not valid JSON (line {line}): {reason}</source>
        <translation>设置文件 {path} 不是有效的 JSON（第 {line} 行）：{reason}</translation>
    </message>
    <message>
        <source>the settings file {path}: the section &apos;{section}&apos; must be an object</source>
        <translation>设置文件 {path}：“{section}”部分必须是对象</translation>
    </message>
    <message>
        <source>the settings file {path} holds settings this version does not know in &apos;{section}&apos;: {names}</source>
        <translation>设置文件 {path} 的“{section}”部分含有此版本不认识的设置：{names}</translation>
    </message>
    <message>
        <source>the settings file {path}: {problem}</source>
        <translation>设置文件 {path}：{problem}</translation>
    </message>
    <message>
        <source>the settings file {path} is unreadable ({reason}); fix or remove it first, nothing was written</source>
        <translation>设置文件 {path} 无法读取（{reason}）；请先修复或删除它，未写入任何内容</translation>
    </message>
    <message>
        <source>the settings file {path} does not hold a JSON object; nothing was written</source>
        <translation>设置文件 {path} 不包含 JSON 对象；未写入任何内容</translation>
    </message>
    <message>
        <source>it lists no folder that exists (only folders of audio files can be searched)</source>
        <translation>它没有列出任何存在的文件夹（只能搜索音频文件所在的文件夹）</translation>
    </message>
    <message>
        <source>{kind} sources cannot search</source>
        <translation>{kind}来源无法搜索</translation>
    </message>
    <message>
        <source>the music platform {platform} is not supported</source>
        <translation>不支持音乐平台 {platform}</translation>
    </message>
</context>
<context>
    <name>SettingsValues</name>
    <message>
        <source>the library root must be an absolute folder path</source>
        <translation>曲库根目录必须是绝对路径</translation>
    </message>
    <message>
        <source>the export folder must be an absolute folder path (or empty for &lt;default root&gt;/Playlists)</source>
        <translation>导出文件夹必须是绝对路径（留空则使用 &lt;默认根目录&gt;/Playlists）</translation>
    </message>
</context>
<context>
    <name>SourceEditor</name>
    <message>
        <source>Playlist files</source>
        <translation>歌单文件</translation>
    </message>
    <message>
        <source>Subsonic server (Navidrome, Airsonic, Gonic…)</source>
        <translation>Subsonic 服务器（Navidrome、Airsonic、Gonic…）</translation>
    </message>
    <message>
        <source>Music platform (musicdl)</source>
        <translation>音乐平台（musicdl）</translation>
    </message>
    <message>
        <source>Edit source</source>
        <translation>编辑来源</translation>
    </message>
    <message>
        <source>Add source</source>
        <translation>添加来源</translation>
    </message>
    <message>
        <source>One per line: a playlist file (M3U, M3U8, PLS, XSPF), a folder of them, or an http(s) URL</source>
        <translation>每行一个：歌单文件（M3U、M3U8、PLS、XSPF）、存放歌单的文件夹或 http(s) 链接</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>User name and password</source>
        <translation>用户名和密码</translation>
    </message>
    <message>
        <source>API key (OpenSubsonic)</source>
        <translation>API 密钥（OpenSubsonic）</translation>
    </message>
    <message>
        <source>One playlist URL (or id) per line</source>
        <translation>每行一个歌单链接（或 ID）</translation>
    </message>
    <message>
        <source>Test the connection before saving</source>
        <translation>保存前测试连接</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Playlists:</source>
        <translation>歌单：</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>服务器地址：</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>登录方式：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Platform:</source>
        <translation>平台：</translation>
    </message>
    <message>
        <source>Playlist URLs:</source>
        <translation>歌单链接：</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>stored; leave empty to keep it</source>
        <translation>已保存；留空则保持不变</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>Label (optional):</source>
        <translation>标签（可选）：</translation>
    </message>
    <message>
        <source>Choose playlist folder</source>
        <translation>选择歌单文件夹</translation>
    </message>
    <message>
        <source>Choose playlist files</source>
        <translation>选择歌单文件</translation>
    </message>
    <message>
        <source>Playlists (*.m3u *.m3u8 *.pls *.xspf)</source>
        <translation>歌单 (*.m3u *.m3u8 *.pls *.xspf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Test failed: %s</source>
        <translation>测试失败：%s</translation>
    </message>
    <message>
        <source>Connection works.</source>
        <translation>连接正常。</translation>
    </message>
    <message>
        <source>The source looks usable.</source>
        <translation>该来源看起来可用。</translation>
    </message>
    <message>
        <source>Testing and saving…</source>
        <translation>正在测试并保存…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved: %s</source>
        <translation>未保存：%s</translation>
    </message>
    <message>
        <source>Source %s saved.</source>
        <translation>来源 %s 已保存。</translation>
    </message>
</context>
<context>
    <name>SourcesPage</name>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Unchecked sources are skipped by Collect. Removing a source keeps its playlists and songs; they just have no source any more.</source>
        <translation>“采集”会跳过未勾选的来源。删除来源会保留其歌单和歌曲，只是它们不再有来源。</translation>
    </message>
    <message>
        <source>Playlist files</source>
        <translation>歌单文件</translation>
    </message>
    <message>
        <source>Subsonic server</source>
        <translation>Subsonic 服务器</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message numerus="yes">
        <source> (+%n more)</source>
        <translation>
            <numerusform>（另有 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>Testing %s…</source>
        <translation>正在测试 %s…</translation>
    </message>
    <message>
        <source>%s: connection works.</source>
        <translation>%s：连接正常。</translation>
    </message>
    <message numerus="yes">
        <source>%s removed; its %n playlist(s) stay in the catalog.</source>
        <translation>
            <numerusform>已删除 %s；它的 %n 个歌单仍保留在目录中。</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove source</source>
        <translation>删除来源</translation>
    </message>
    <message>
        <source>Remove the source %s?</source>
        <translation>要删除来源 %s 吗？</translation>
    </message>
    <message>
        <source>Its playlists, songs and files stay; its stored password is forgotten.</source>
        <translation>它的歌单、歌曲和文件会保留；保存的密码将被清除。</translation>
    </message>
</context>
<context>
    <name>StatusWords</name>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Pause requested</source>
        <translation>正在暂停</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Completed with errors</source>
        <translation>已完成（有错误）</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>已开始</translation>
    </message>
    <message>
        <source>Stage started</source>
        <translation>阶段开始</translation>
    </message>
    <message>
        <source>Stage succeeded</source>
        <translation>阶段成功</translation>
    </message>
    <message>
        <source>Stage failed</source>
        <translation>阶段失败</translation>
    </message>
    <message>
        <source>Stage canceled</source>
        <translation>阶段已取消</translation>
    </message>
    <message>
        <source>Stage skipped</source>
        <translation>阶段已跳过</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Reconnected</source>
        <translation>已重新连接</translation>
    </message>
    <message>
        <source>Retry item</source>
        <translation>重试项目</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <source>Moved</source>
        <translation>已移动</translation>
    </message>
    <message>
        <source>Notified</source>
        <translation>已通知</translation>
    </message>
    <message>
        <source>Notify failed</source>
        <translation>通知失败</translation>
    </message>
    <message>
        <source>Schedule skipped</source>
        <translation>计划已跳过</translation>
    </message>
    <message>
        <source>Sync warning</source>
        <translation>同步警告</translation>
    </message>
    <message>
        <source>Scan warning</source>
        <translation>扫描警告</translation>
    </message>
    <message>
        <source>Publish warning</source>
        <translation>发布警告</translation>
    </message>
    <message>
        <source>Host unreachable</source>
        <translation>服务器无法连接</translation>
    </message>
    <message>
        <source>Library unreachable</source>
        <translation>曲库无法访问</translation>
    </message>
</context>
<context>
    <name>SummaryStrip</name>
    <message>
        <source>Total jobs</source>
        <translation>任务总数</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Queued download jobs</source>
        <translation>排队的下载任务</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Failed / errors</source>
        <translation>失败 / 错误</translation>
    </message>
    <message>
        <source>Running songs</source>
        <translation>正在下载的歌曲</translation>
    </message>
    <message>
        <source>Total speed</source>
        <translation>总速度</translation>
    </message>
</context>
<context>
    <name>TargetsPage</name>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Upload jobs copy library files to these targets. Removing a target leaves the files on it alone.</source>
        <translation>上传任务会把曲库文件复制到这些目标。删除目标不会动其中已有的文件。</translation>
    </message>
    <message>
        <source>WebDAV</source>
        <translation>WebDAV</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Testing %s…</source>
        <translation>正在测试 %s…</translation>
    </message>
    <message>
        <source>%s: connection works.</source>
        <translation>%s：连接正常。</translation>
    </message>
    <message>
        <source>Created on the server: %s</source>
        <translation>已在服务器上创建：%s</translation>
    </message>
    <message>
        <source>%s removed.</source>
        <translation>已删除 %s。</translation>
    </message>
    <message>
        <source>Remove upload target</source>
        <translation>删除上传目标</translation>
    </message>
    <message>
        <source>Remove the upload target %s?</source>
        <translation>要删除上传目标 %s 吗？</translation>
    </message>
    <message>
        <source>Files already uploaded stay on it; its stored password is forgotten.</source>
        <translation>已上传的文件会保留；保存的密码将被清除。</translation>
    </message>
</context>
<context>
    <name>TaskCenterTab</name>
    <message>
        <source>Full Pipeline</source>
        <translation>完整流程</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>采集</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>No jobs yet. Queue one with the buttons above, or select playlists in the Playlists tab and sync or download them.</source>
        <translation>还没有任务。用上方的按钮添加一个，或在“歌单”页选择歌单后同步或下载。</translation>
    </message>
    <message>
        <source>No job matches the filter.</source>
        <translation>没有符合筛选条件的任务。</translation>
    </message>
    <message>
        <source>Show only jobs in this state</source>
        <translation>只显示处于此状态的任务</translation>
    </message>
    <message>
        <source>Search jobs, playlists, songs…</source>
        <translation>搜索任务、歌单、歌曲…</translation>
    </message>
    <message>
        <source>Queue:</source>
        <translation>加入队列：</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>取消…</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <source>Move to top</source>
        <translation>移到最前</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move to bottom</source>
        <translation>移到最后</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Clear finished…</source>
        <translation>清除已结束…</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Copy error</source>
        <translation>复制错误</translation>
    </message>
    <message>
        <source>Start this queued job before every other</source>
        <translation>让此排队任务最先开始</translation>
    </message>
    <message>
        <source>Start this queued job one place earlier</source>
        <translation>让此排队任务提前一位</translation>
    </message>
    <message>
        <source>Start this queued job one place later</source>
        <translation>让此排队任务推后一位</translation>
    </message>
    <message>
        <source>Start this queued job after every other</source>
        <translation>让此排队任务最后开始</translation>
    </message>
    <message>
        <source>Remove the finished job from the list (its files stay in the library)</source>
        <translation>从列表中删除已结束的任务（文件保留在曲库中）</translation>
    </message>
    <message>
        <source>Remove every finished job from the list (files stay in the library)</source>
        <translation>从列表中删除所有已结束的任务（文件保留在曲库中）</translation>
    </message>
    <message>
        <source>Queue a new %s job</source>
        <translation>新建一个“%s”任务并加入队列</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel job %d (%s)?</source>
        <translation>要取消任务 %d（%s）吗？</translation>
    </message>
    <message>
        <source>Running downloads stop and their partial files are removed. Finished songs stay in the library.</source>
        <translation>正在进行的下载会停止，未完成的文件会被删除。已下载完成的歌曲会保留在曲库中。</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Job %d has ended meanwhile (%s); there is nothing left to cancel.</source>
        <translation>任务 %d 已经结束（%s），无需取消。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>%s sent to job %d</source>
        <translation>已发送“%s”到任务 %d</translation>
    </message>
    <message>
        <source>Job %d is no longer queued; it was not moved</source>
        <translation>任务 %d 已不在队列中，未移动</translation>
    </message>
    <message>
        <source>Job %d moved: %s</source>
        <translation>任务 %d 已移动：%s</translation>
    </message>
    <message>
        <source>Job %d moved to place %d in its queue</source>
        <translation>任务 %d 已移到队列第 %d 位</translation>
    </message>
    <message>
        <source>Remove job</source>
        <translation>删除任务</translation>
    </message>
    <message>
        <source>Remove job %d (%s) from the list?</source>
        <translation>要从列表中删除任务 %d（%s）吗？</translation>
    </message>
    <message>
        <source>Its history (stages, items, events) is deleted; downloaded files stay in the library.</source>
        <translation>它的历史记录（阶段、项目、事件）会被删除；已下载的文件保留在曲库中。</translation>
    </message>
    <message>
        <source>Clear finished jobs</source>
        <translation>清除已结束的任务</translation>
    </message>
    <message>
        <source>Remove every finished job (completed, failed or canceled) from the list?</source>
        <translation>要从列表中删除所有已结束（已完成、失败或已取消）的任务吗？</translation>
    </message>
    <message>
        <source>Their history is deleted; downloaded files stay in the library. Queued, running and paused jobs stay.</source>
        <translation>它们的历史记录会被删除；已下载的文件保留在曲库中。排队、运行中和已暂停的任务不受影响。</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) removed</source>
        <translation>
            <numerusform>已删除 %n 个任务</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing removed: the job is no longer finished</source>
        <translation>未删除：该任务已不再是结束状态</translation>
    </message>
    <message numerus="yes">
        <source>%n finished job(s) removed</source>
        <translation>
            <numerusform>已删除 %n 个已结束的任务</numerusform>
        </translation>
    </message>
    <message>
        <source>Error copied</source>
        <translation>错误已复制</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已结束</translation>
    </message>
</context>
<context>
    <name>TaskTreeModel</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>Lane</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Collect</source>
        <translation>采集</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Upload</source>
        <translation>上传</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>songs</source>
        <translation>首歌曲</translation>
    </message>
    <message>
        <source>files</source>
        <translation>个文件</translation>
    </message>
    <message>
        <source>playlists</source>
        <translation>个歌单</translation>
    </message>
    <message>
        <source>sources</source>
        <translation>个来源</translation>
    </message>
    <message>
        <source>folders</source>
        <translation>个文件夹</translation>
    </message>
    <message>
        <source>items</source>
        <translation>项</translation>
    </message>
</context>
<context>
    <name>WorkerTexts</name>
    <message>
        <source>{folder}: {rate}</source>
        <translation>{folder}：{rate}</translation>
    </message>
    <message>
        <source>{name} ({rate})</source>
        <translation>{name}（{rate}）</translation>
    </message>
    <message>
        <source>{target}: rescanning the library</source>
        <translation>{target}：正在重新扫描曲库</translation>
    </message>
    <message>
        <source>{playlist} -&gt; {target}: matching songs</source>
        <translation>{playlist} -&gt; {target}：正在匹配歌曲</translation>
    </message>
    <message>
        <source>{mode}</source>
        <translation>{mode}</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>{status}</source>
        <translation>{status}</translation>
    </message>
    <message>
        <source>{note}</source>
        <translation>{note}</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <source>retry {attempt}/{attempts} in {seconds} s: {error}</source>
        <translation>{seconds} 秒后第 {attempt}/{attempts} 次重试：{error}</translation>
    </message>
    <message>
        <source>{name} (via {source})</source>
        <translation>{name}（来自 {source}）</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>pausing</source>
        <translation>正在暂停</translation>
    </message>
    <message>
        <source>canceling</source>
        <translation>正在取消</translation>
    </message>
    <message>
        <source>the runner is stopping</source>
        <translation>运行器正在停止</translation>
    </message>
    <message>
        <source>stopped: the database is unreachable</source>
        <translation>已停止：无法连接数据库</translation>
    </message>
</context>
<context>
    <name>_ListPage</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
</context>
</TS>
